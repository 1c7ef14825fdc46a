/**
 * working-directory, manifest, install-args, build-command, cross-install, zip-file, trim, force-build,
 * cache: what the build step builds from, or the zip it reads instead. The images are read in images.ts.
 */
import * as path from 'node:path';
import { isInside } from '../host-guard.js';
import { detectManifest, LOCKS, plainSource } from '../manifests/detect.js';
import type { ManifestSource } from '../manifests/types.js';
import { FAMILIES, familyOf, type Runtime } from '../runtimes/index.js';
import { readImages, readSmokeImports } from './images.js';
import type { LayerPart } from './layer.js';
import { fileKind, parseList, quote, type InputReader } from './reader.js';
import type { Inputs, StepName } from './types.js';

export type SourcesPart = Pick<
  Inputs,
  | 'workingDirectory'
  | 'manifest'
  | 'manifestSource'
  | 'extras'
  | 'groups'
  | 'buildCommand'
  | 'installArgs'
  | 'imageRegistry'
  | 'forceBuild'
  | 'cache'
  | 'buildImage'
  | 'smokeImage'
  | 'smokeImports'
  | 'trim'
  | 'crossInstall'
  | 'zipFile'
>;

export function readSources(
  reader: InputReader,
  requestedSteps: Set<StepName>,
  layer: LayerPart,
): SourcesPart {
  const { runtime, fallbackRuntime, architecture } = layer;
  const workingDirectory = reader.workspacePath(
    'working-directory',
    reader.input('working-directory') || '.',
    reader.workspace,
  );
  const manifestInput = reader.input('manifest') || familyOf(fallbackRuntime).defaultManifest;
  const manifestPath = reader.workspacePath('manifest', manifestInput, workingDirectory);
  const zipFile = readZipFile(reader);
  const buildCommand = reader.optional('build-command');
  const installArgs = parseList(reader.input('install-args'), { words: true });
  const crossInstall = reader.bool('cross-install', false);

  refuseIgnoredBuildInputs(reader, zipFile !== undefined, buildCommand !== undefined);
  const willBuild = requestedSteps.has('build') && zipFile === undefined;
  const sourceOk =
    willBuild &&
    checkSourcePaths(reader, { workingDirectory, manifestPath, manifestInput, runtime, buildCommand });
  const problemsBefore = reader.problems.length;
  const manifestSource = readManifestSource(reader, {
    workingDirectory,
    manifestPath,
    detect: sourceOk,
    // A build-command does its own installing: the lock then only keys the re-run, and never refuses.
    refuse: buildCommand === undefined && runtime !== undefined,
    family: fallbackRuntime.family,
  });
  // A refused detection already said what is wrong with the manifest.
  if (sourceOk && buildCommand === undefined && runtime && reader.problems.length === problemsBefore) {
    refuseMissingManifest(reader, { manifestSource, manifestPath, manifestInput, workingDirectory, runtime });
  }
  if (crossInstall && runtime && !familyOf(runtime).crossInstall) {
    reader.problem(
      `cross-install: only Python and Node.js layers can be installed for another architecture (pip's platform tags, npm's --cpu); ` +
        `${runtime.id} builds in the ${architecture} image`,
    );
  }
  const { imageRegistry, buildImage, smokeImage } = readImages(
    reader,
    fallbackRuntime,
    architecture,
    crossInstall,
  );
  const smokeImports = readSmokeImports(reader, fallbackRuntime);
  const trim = reader.bool('trim', false);
  if (trim && zipFile !== undefined) {
    reader.problem('trim: cannot be combined with zip-file; a given zip is published as it is');
  }
  const { extras, groups } = readLockChoices(reader, manifestSource, willBuild && buildCommand === undefined);
  return {
    workingDirectory,
    manifest: manifestSource.manifest,
    manifestSource,
    extras,
    groups,
    buildCommand,
    installArgs,
    imageRegistry,
    // Re-runs and caching (src/steps/build-key.ts, src/steps/download-cache.ts).
    forceBuild: reader.bool('force-build', false),
    cache: reader.bool('cache', false) ? 'restore-and-save' : 'off',
    buildImage,
    smokeImage,
    smokeImports,
    trim,
    crossInstall,
    zipFile,
  };
}

/**
 * zip-file: a regular file inside the workspace or RUNNER_TEMP (where actions/download-artifact or an
 * earlier step put it); a folder, FIFO or device is refused by its kind.
 */
function readZipFile(reader: InputReader): string | undefined {
  const zipInput = reader.optional('zip-file');
  if (zipInput === undefined) return undefined;
  // A zip from actions/download-artifact or an earlier step may also sit in the runner's temp folder.
  const roots = reader.runnerTemp ? [reader.workspace, reader.runnerTemp] : [reader.workspace];
  const zipFile = reader.workspacePath('zip-file', zipInput, reader.workspace, roots);
  const kind = fileKind(zipFile);
  if (kind === undefined) {
    reader.problem(
      `zip-file: ${quote(zipInput)} does not exist; give the path of a zip built by an earlier step`,
    );
  } else if (kind !== 'file') {
    reader.problem(`zip-file: ${quote(zipInput)} is a ${kind}, not a file; give the path of a .zip file`);
  }
  return zipFile;
}

/** Build inputs that a given zip or a build-command would silently ignore are mistakes: say so. */
function refuseIgnoredBuildInputs(reader: InputReader, hasZip: boolean, hasBuildCommand: boolean): void {
  if (hasZip) {
    const ignored = [
      hasBuildCommand && 'build-command',
      reader.given('install-args') && 'install-args',
      reader.given('extras') && 'extras',
      reader.given('groups') && 'groups',
      reader.given('cross-install', 'false') && 'cross-install',
      reader.given('manifest') && 'manifest',
      reader.given('working-directory', '.') && 'working-directory',
      reader.given('build-image') && 'build-image',
      reader.given('build-timeout', '30') && 'build-timeout',
      reader.given('build-memory') && 'build-memory',
      reader.given('build-network', 'bridge') && 'build-network',
    ].filter((name): name is string => name !== false);
    for (const name of ignored) {
      reader.problem(`${name}: cannot be combined with zip-file; a given zip is published as it is`);
    }
  } else if (hasBuildCommand) {
    for (const name of ['install-args', 'extras', 'groups'].filter((input) => reader.given(input))) {
      reader.problem(
        `${name}: cannot be combined with build-command; your command does the installing (add the arguments to it)`,
      );
    }
  }
}

const LOCK_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,100}[A-Za-z0-9])?$/;

/** extras, groups: what a Python lock installs besides its main dependencies. */
function readLockChoices(
  reader: InputReader,
  source: ManifestSource,
  defaultBuild: boolean,
): { extras: string[]; groups: string[] } {
  const choices = { extras: parseList(reader.input('extras')), groups: parseList(reader.input('groups')) };
  const pythonLock = ['uv.lock', 'poetry.lock', 'Pipfile.lock'].includes(source.lock?.format ?? '');
  for (const name of ['extras', 'groups'] as const) {
    const bad = choices[name].filter((item) => !LOCK_NAME.test(item));
    if (bad.length > 0) {
      reader.problem(`${name}: ${bad.map(quote).join(', ')} is not a name; use letters, digits, ., _ and -`);
    } else if (choices[name].length > 0 && defaultBuild && !pythonLock) {
      reader.problem(
        `${name}: only a Python lock (uv.lock, poetry.lock, Pipfile.lock) has ${name}; the build installs ` +
          `${source.lock?.path ?? source.manifest}`,
      );
    }
  }
  return choices;
}

/**
 * The manifest and the lock that decides it (src/manifests/detect.ts); without detection (nothing is
 * built, or the paths are wrong) the manifest as given, without a lock.
 */
function readManifestSource(
  reader: InputReader,
  request: {
    workingDirectory: string;
    manifestPath: string;
    detect: boolean;
    refuse: boolean;
    family: Runtime['family'];
  },
): ManifestSource {
  const { workingDirectory, manifestPath, family } = request;
  const manifest = path.relative(workingDirectory, manifestPath).split(path.sep).join('/');
  if (!request.detect) return plainSource(family, manifest);
  const detection = detectManifest({
    family,
    workingDirectory,
    manifestPath: reader.given('manifest') ? manifestPath : undefined,
    defaultManifest: FAMILIES[family].defaultManifest,
    tempDir: reader.runnerTemp,
  });
  if (!request.refuse) {
    return detection.problems.length === 0 ? detection.source : { ...detection.source, lock: undefined };
  }
  for (const problem of detection.problems) reader.problem(problem);
  return detection.source;
}

/** Checks working-directory and the manifest input; true when both are there to detect the lock from. */
function checkSourcePaths(
  reader: InputReader,
  source: {
    workingDirectory: string;
    manifestPath: string;
    manifestInput: string;
    runtime: Runtime | undefined;
    buildCommand: string | undefined;
  },
): boolean {
  const { workingDirectory, manifestPath, manifestInput, runtime, buildCommand } = source;
  const workingKind = fileKind(workingDirectory);
  if (workingKind === undefined) {
    if (buildCommand === undefined && runtime) {
      reader.problem(`working-directory: ${quote(reader.input('working-directory'))} does not exist`);
    }
    return false;
  }
  if (workingKind !== 'folder') {
    reader.problem(
      `working-directory: ${quote(reader.input('working-directory'))} is a ${workingKind}, not a folder; ` +
        'give the folder that holds the manifest',
    );
    return false;
  }
  if (reader.given('manifest') && !isInside(workingDirectory, manifestPath)) {
    reader.problem(
      `manifest: ${quote(manifestInput)} is outside working-directory ${workingDirectory}; only that folder ` +
        'is mounted into the build, so give a manifest inside it (or move working-directory up)',
    );
    return false;
  }
  const manifestKind = fileKind(manifestPath);
  if (manifestKind !== undefined && manifestKind !== 'file') {
    reader.problem(
      `manifest: ${quote(manifestInput)} is a ${manifestKind}, not a file; give the manifest file`,
    );
    return false;
  }
  return true;
}

/** A manifest that is not there (given, or the default when no lock decided) is refused, naming what would do. */
function refuseMissingManifest(
  reader: InputReader,
  source: {
    manifestSource: ManifestSource;
    manifestPath: string;
    manifestInput: string;
    workingDirectory: string;
    runtime: Runtime;
  },
): void {
  const { manifestSource, manifestPath, manifestInput, workingDirectory, runtime } = source;
  const missing = reader.given('manifest')
    ? fileKind(manifestPath) === undefined
    : manifestSource.lock === undefined &&
      fileKind(path.join(workingDirectory, manifestSource.manifest)) === undefined;
  if (!missing) return;
  const family = familyOf(runtime);
  const locks = LOCKS[runtime.family]
    .map((kind) => kind.file)
    .filter((file) => file !== family.defaultManifest);
  const also = locks.length > 0 ? `, or a lock: ${locks.join(', ')}` : '';
  reader.problem(
    `manifest: ${quote(manifestInput)} does not exist in ${workingDirectory}; ` +
      `give the ${runtime.family} manifest (default ${family.defaultManifest}${also}) or a build-command`,
  );
}
