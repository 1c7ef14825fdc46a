/**
 * image-registry, build-image, smoke-image, smoke-imports: the images the build and the smoke test run
 * in, and the modules the smoke test imports.
 */
import {
  PUBLIC_IMAGE_REGISTRY,
  defaultBuildImage,
  defaultRuntimeImage,
  familyOf,
  runnerArchitecture,
  type Architecture,
  type Runtime,
} from '../runtimes/index.js';
import { imageReferenceProblem } from './names.js';
import { parseList, quote, type InputReader } from './reader.js';
import type { Inputs } from './types.js';

// Docker's reference grammar: a domain (with an optional port), then optional lowercase path components.
const IMAGE_REGISTRY =
  /^(?=.{1,200}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** The registry and the two images; `runtime` may be a stand-in when the runtime input is invalid. */
export function readImages(
  reader: InputReader,
  runtime: Runtime,
  architecture: Architecture,
  crossInstall: boolean,
): Pick<Inputs, 'imageRegistry' | 'buildImage' | 'smokeImage'> {
  const imageRegistry = reader.input('image-registry') || PUBLIC_IMAGE_REGISTRY;
  const port = /^[^/]*:(\d+)/.exec(imageRegistry)?.[1];
  if (!IMAGE_REGISTRY.test(imageRegistry)) {
    reader.problem(
      `image-registry: ${quote(imageRegistry)} is not a registry such as public.ecr.aws or ` +
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public (a host, an optional port and lowercase path)',
    );
  } else if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) {
    reader.problem(
      `image-registry: ${quote(imageRegistry)} has the port ${port}; a port is a number from 1 to 65535`,
    );
  }
  // A cross-install runs in the runner's own build image, and only installs for `architecture`.
  const buildImage = readImage(
    reader,
    'build-image',
    defaultBuildImage(runtime, crossInstall ? runnerArchitecture() : architecture, imageRegistry),
  );
  const smokeImage = readImage(
    reader,
    'smoke-image',
    defaultRuntimeImage(runtime, architecture, imageRegistry),
  );
  return { imageRegistry, buildImage, smokeImage };
}

function readImage(reader: InputReader, name: string, fallback: string): string {
  const value = reader.input(name) || fallback;
  const problem = imageReferenceProblem(value);
  if (problem !== undefined) {
    reader.problem(
      `${name}: ${quote(value)} is not a Docker image reference such as public.ecr.aws/sam/build-python3.12: it ${problem}`,
    );
  }
  return value;
}

export function readSmokeImports(reader: InputReader, runtime: Runtime): string[] | undefined {
  const importsInput = reader.input('smoke-imports');
  if (importsInput === '') return undefined;
  const smokeImports = reader.unique('smoke-imports', parseList(importsInput, { words: true }));
  const { importPattern, importNoun } = familyOf(runtime);
  for (const name of smokeImports) {
    if (!importPattern.test(name)) {
      reader.problem(`smoke-imports: ${quote(name)} is not a ${runtime.family} ${importNoun}`);
    }
  }
  return smokeImports;
}
