/** How each family's smoke test loads what a layer holds in the runtime image. */
import { LAYER_SMOKE_CLASS } from '../smoke/java-smoke-class.js';
import { NODE_SMOKE, PROVIDED_SMOKE, PYTHON_SMOKE, RUBY_SMOKE } from '../smoke/scripts.js';
import { CONTAINER_TOOLS, ELF_MACHINE } from './table.js';
import type { Architecture, Family, Runtime, SmokeRecipe } from './types.js';

const opt = (paths: readonly string[]): string => paths.map((p) => `/opt/${p}`).join(':');

/** `modulePaths`: the runtime's module folders that exist in the layer, relative to /opt. */
type SmokeFor = (runtime: Runtime, modulePaths: readonly string[], architecture: Architecture) => SmokeRecipe;

const SMOKES: Readonly<Record<Family, SmokeFor>> = {
  python: (_runtime, modulePaths) => ({
    program: 'python3',
    args: ['-c', PYTHON_SMOKE],
    env: { PYTHONPATH: opt(modulePaths) },
  }),
  nodejs: (_runtime, modulePaths) => ({
    program: 'node',
    args: ['--input-type=module', '-e', NODE_SMOKE],
    env: { NODE_PATH: opt(modulePaths) },
    // import() resolves bare names from the working folder up, as Lambda's NODE_PATH order does.
    workdir: `/opt/${(modulePaths[0] ?? 'nodejs/node_modules').replace(/\/node_modules$/, '')}`,
  }),
  java: () => ({
    program: 'java',
    // The launcher, not a shell, expands lib/* to every jar, as Lambda's class path does.
    args: ['-cp', `${CONTAINER_TOOLS}:/opt/java/lib/*`, 'LayerSmoke'],
    env: {},
    files: { 'LayerSmoke.class': LAYER_SMOKE_CLASS },
  }),
  ruby: (runtime) => ({
    program: 'ruby',
    args: ['-e', RUBY_SMOKE],
    // As Lambda sets them for a layer.
    env: { GEM_PATH: `/opt/${runtime.installDir}`, RUBYLIB: '/opt/ruby/lib' },
  }),
  provided: (_runtime, _modulePaths, architecture) => ({
    program: 'sh',
    args: ['-c', PROVIDED_SMOKE, 'llr-smoke'],
    env: { LLR_ELF_MACHINE: ELF_MACHINE[architecture] },
  }),
};

/** The smoke test of a runtime: `modulePaths` are its module folders that exist in the layer, relative to /opt. */
export function smokeRecipe(
  runtime: Runtime,
  modulePaths: readonly string[],
  architecture: Architecture,
): SmokeRecipe {
  return SMOKES[runtime.family](runtime, modulePaths, architecture);
}
