/**
 * The scripts the action runs in containers, kept as real files beside this one so they can be read,
 * linted and run by hand. Each `new URL('./…', import.meta.url)` is a literal on purpose: ncc sees it,
 * copies the file into dist/ and points the read at the copy; from src/ (vitest) it is the file itself.
 */
import { readFileSync } from 'node:fs';

/** Loads modules one by one and prints one `LLR-SMOKE {json}` line per module. */
export const PYTHON_SMOKE = readFileSync(new URL('./smoke.py', import.meta.url), 'utf8');
export const NODE_SMOKE = readFileSync(new URL('./smoke.mjs', import.meta.url), 'utf8');
export const RUBY_SMOKE = readFileSync(new URL('./smoke.rb', import.meta.url), 'utf8');
export const PROVIDED_SMOKE = readFileSync(new URL('./smoke.sh', import.meta.url), 'utf8');
/** Installs a pnpm, Yarn or Bun lock with its own tool in the Node.js build container. */
export const NODE_INSTALL = readFileSync(new URL('./node-install.mjs', import.meta.url), 'utf8');
/** Installs the Python packages the last build's layer could not give back (src/cache/python-reuse.ts). */
export const PIP_REUSE = readFileSync(new URL('./pip-reuse.py', import.meta.url), 'utf8');
/** Fetches and unpacks the npm packages the last build's layer could not give back (src/cache/npm-reuse.ts). */
export const NPM_REUSE = readFileSync(new URL('./npm-reuse.mjs', import.meta.url), 'utf8');
/** Gradle init script of the default Java build. */
export const GRADLE_INIT = readFileSync(new URL('./layer.gradle', import.meta.url), 'utf8');
