/**
 * The stand-in Lambda images of scripts/stand-in-images.sh live under a registry name of their own,
 * never the public names; tests select them through the action's own `image-registry` input.
 */
export const STAND_IN_REGISTRY = process.env.LLR_STAND_IN_REGISTRY || 'llr-stand-in.invalid';

/** `llr-stand-in.invalid/sam/build-python3.11:latest-x86_64` */
export const standInBuildImage = (runtime: string, arch = 'x86_64'): string =>
  `${STAND_IN_REGISTRY}/sam/build-${runtime}:latest-${arch}`;

/** `llr-stand-in.invalid/lambda/python:3.11-x86_64` */
export const standInRuntimeImage = (repoAndVersion: string, arch = 'x86_64'): string =>
  `${STAND_IN_REGISTRY}/lambda/${repoAndVersion}-${arch}`;
