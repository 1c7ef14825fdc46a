/** The part of npm's own platform check (npm-install-checks, which ships no types) that the layer uses. */
declare module 'npm-install-checks' {
  /** Throws an error with code EBADPLATFORM when `target`'s os, cpu or libc do not admit `environment`. */
  export function checkPlatform(
    target: { readonly os?: unknown; readonly cpu?: unknown; readonly libc?: unknown },
    force: boolean,
    environment: { readonly os: string; readonly cpu: string; readonly libc: string },
  ): void;
}
