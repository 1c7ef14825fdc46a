/** The shapes of the runtime table (table.ts) and of the recipes made from it (build-recipes.ts, smoke-recipes.ts). */

export type Architecture = 'x86_64' | 'arm64';

export type Family = 'python' | 'nodejs' | 'java' | 'ruby' | 'provided';

/** The Amazon Linux a runtime runs on: it decides what native code in a layer may need. */
export type OperatingSystem = 'al2' | 'al2023';

export interface OperatingSystemSpec {
  readonly name: string;
  /** The glibc version: a shared object needing a newer `GLIBC_x.y` does not load. */
  readonly glibc: string;
  /** The GCC whose libstdc++ the OS ships, and the newest `GLIBCXX_` and `CXXABI_` versions it defines. */
  readonly gcc: string;
  readonly glibcxx: string;
  readonly cxxabi: string;
  /**
   * Libraries every Lambda runtime image of this OS has on the loader's path, by soname; a DT_NEEDED
   * library outside this list (and the family's own) must be in the layer. Deliberately the glibc
   * family, libgcc_s, libstdc++ and zlib only: other system libraries vary between runtime images.
   */
  readonly libraries: readonly string[];
}

/** A row of the runtime table: the rest of a Runtime comes from its family's folders. */
export interface RuntimeRow {
  /** Lambda's identifier, e.g. `python3.12`. */
  readonly id: string;
  readonly family: Family;
  /** Version as the runtime image tags spell it: `3.12`, `20`, `8.al2`, `al2023`. */
  readonly version: string;
  readonly os: OperatingSystem;
}

export interface Runtime extends RuntimeRow {
  /** Where the default build installs packages, relative to the layer root (= /opt). */
  readonly installDir: string;
  /** The folders Lambda puts on the module path for this runtime, relative to /opt, most specific first. */
  readonly modulePaths: readonly string[];
}

/** How the default build runs in the build image (no shell: `command` is an argument array). */
export interface BuildRecipe {
  readonly command: readonly string[];
  readonly workdir: string;
  /** Copy the manifest (and lock files beside it) into this layer folder before the build. */
  readonly copyManifestTo?: string;
  /** Environment the tool needs; fixed values, never text from inputs. */
  readonly env?: Readonly<Record<string, string>>;
  /** Files to write and mount read-only under CONTAINER_TOOLS (name → content). */
  readonly files?: Readonly<Record<string, string>>;
}

/** How the smoke test loads modules in the runtime image: `program ...args <module> <module> ...`. */
export interface SmokeRecipe {
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir?: string;
  /** Files to write and mount read-only under CONTAINER_TOOLS (name → content). */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
}

/**
 * What a language family reads and where. Paths marked "template" may hold `{version}`, replaced by
 * the runtime's version (`python/lib/python{version}/site-packages`).
 */
export interface FamilySpec {
  /** Top-level folders (or files) of a layer that this family reads; anything else is dead weight. */
  readonly roots: readonly string[];
  /** The family's own folder (python/, java/, …); custom runtimes have none. */
  readonly languageRoot?: string;
  /** What is missing, and why it matters, when languageRoot holds no module path. */
  readonly withoutModulePath?: string;
  /** A folder for one language version: group 1 the folder, group 2 the version as `Runtime.version`. */
  readonly versionedFolder?: RegExp;
  /** Template: where the default build installs packages, relative to the layer root (= /opt). */
  readonly installDir: string;
  /** Templates: the folders Lambda puts on the module path, relative to /opt, most specific first. */
  readonly modulePaths: readonly string[];
  readonly defaultManifest: string;
  /** Files that pin a manifest's versions; copied beside it for the build. */
  readonly lockFiles: readonly string[];
  /** Repository of the Lambda runtime image inside the image registry (`lambda/python`), tagged `<version>-<arch>`. */
  readonly runtimeImageRepo: string;
  /** What smoke-imports names (`module`, `gem`), and the names allowed. */
  readonly importNoun: string;
  readonly importPattern: RegExp;
  /** Whether the default build can install for another architecture without running it (pip's platform tags, npm's --cpu). */
  readonly crossInstall: boolean;
  /** Templates: folders the trim removes whole, relative to the layer (e.g. a gem cache). */
  readonly trimFolders: readonly string[];
  /** Templates: libraries the runtime image adds to its OS's (the interpreter's own, in /var/lang/lib). */
  readonly runtimeLibraries: readonly string[];
  /**
   * Each version reads its own install folder (python/lib/pythonX.Y/site-packages): a layer declaring
   * several versions is installed once per version, or once into languageRoot when nothing is native.
   */
  readonly buildsPerVersion?: boolean;
  /** Another way to get native code that fits, besides building in the runtime's build image. */
  readonly compatibleBinaries?: string;
}
