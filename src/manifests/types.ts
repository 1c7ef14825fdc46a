/**
 * The shape both lock-file families agree on (issue 30): which file decided what the build installs,
 * and which package manager installs it. Detection and the lock readers live beside this file
 * (src/manifests/); the build recipes (src/runtimes/build-recipes.ts) read only these types.
 */

/** A lock format, named by its file. */
export type LockFormat =
  | 'requirements.txt'
  | 'uv.lock'
  | 'poetry.lock'
  | 'Pipfile.lock'
  | 'package-lock.json'
  | 'npm-shrinkwrap.json'
  | 'pnpm-lock.yaml'
  | 'yarn.lock'
  | 'bun.lock'
  | 'Gemfile.lock';

/**
 * The tool that installs in the build container. Python locks are exported on the host to a pinned,
 * hashed requirements list that the image's pip installs, so every Python format installs with `pip`.
 */
export type PackageManagerName =
  'pip' | 'npm' | 'pnpm' | 'yarn' | 'yarn-berry' | 'bun' | 'bundler' | 'maven' | 'gradle' | 'make';

export interface PackageManager {
  readonly name: PackageManagerName;
  /**
   * The exact version to install in the build container (from `packageManager` in package.json, else
   * the lock's major); undefined for a tool the build image already has (pip, npm, bundler, maven,
   * gradle, make).
   */
  readonly version?: string;
}

/** What the build installs from: the manifest, and the lock that decides its versions. */
export interface ManifestSource {
  /** The project file, relative to working-directory, '/'-separated (pyproject.toml, package.json, …). */
  readonly manifest: string;
  /** The lock file beside it that decides every version, when there is one. */
  readonly lock?: { readonly path: string; readonly format: LockFormat };
  readonly packageManager: PackageManager;
}
