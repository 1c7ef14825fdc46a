/**
 * `cross-install` for Node.js (issue 31): an arm64 layer installed in the runner's own (x86_64) build
 * image, its optional packages chosen for arm64 by npm and by pnpm, then smoke-tested in the arm64
 * runtime stand-in under qemu; and a package that compiles its addon at install, refused by name.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readElf } from '../../src/layer/elf.js';
import { listTree } from '../../src/layer/zip.js';
import { fixtureFiles, installedPackages } from '../support/node-locks.js';
import { runInProcess as release, workspace } from '../support/release.js';

const RUNTIME = 'nodejs22.x';
// On an arm64 runner the other architecture is x86_64; these tests are written for the x86_64 runners.
const TARGET = process.arch === 'arm64' ? 'x86_64' : 'arm64';
const machineOf = { arm64: 183, x86_64: 62 } as const;
beforeEach(() => vi.unstubAllEnvs());

/** The ELF machines of every shared object in the layer. */
async function elfMachines(layerDir: string): Promise<Set<number>> {
  const machines = new Set<number>();
  for (const entry of await listTree(layerDir)) {
    if (entry.type !== 'file' || !/\.(node|so(\.\d+)*)$/.test(entry.path)) continue;
    const elf = await readElf(path.join(layerDir, entry.path));
    if (elf) machines.add(elf.machine);
  }
  return machines;
}

describe('cross-install of sharp (one optional package per platform) for arm64', () => {
  it.each([
    { fixture: 'sharp-npm', tool: 'npm (package-lock.json)' },
    { fixture: 'sharp-pnpm', tool: 'pnpm (pnpm-lock.yaml)' },
    { fixture: 'sharp-yarn-berry', tool: 'Yarn Berry (yarn.lock)' },
    { fixture: 'sharp-bun', tool: 'Bun (bun.lock)' },
  ])('$tool: arm64 packages only, smoke-tested in the arm64 runtime image', async ({ fixture }) => {
    const dir = workspace(fixtureFiles(fixture));
    const report = await release(dir, {
      'layer-name': `${fixture}-arm64`,
      runtime: RUNTIME,
      architecture: TARGET,
      'cross-install': 'true',
    });
    expect(report.error).toBeUndefined();
    const layer = report.artifact!.layerDir;
    // Of the packages that name a cpu, only arm64's; npm also keeps sharp-wasm32, which names none.
    const modules = path.join(layer, 'nodejs', 'node_modules');
    const forSomeCpu = installedPackages(modules).filter((p) => {
      const name = p.slice(0, p.lastIndexOf('@'));
      const manifest = JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8'));
      return Array.isArray(manifest.cpu);
    });
    expect(forSomeCpu).toEqual(['@img/sharp-libvips-linux-arm64@1.3.4', '@img/sharp-linux-arm64@0.35.5']);
    expect([...(await elfMachines(layer))]).toEqual([machineOf[TARGET]]);
    // Loaded on the architecture it is for: the runtime image runs under emulation here.
    expect(report.smoke!.imports).toMatchObject([{ module: 'sharp', ok: true }]);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['build', 'succeeded'],
      ['smoke-test', 'succeeded'],
    ]);
  });
});

describe('cross-install of a package that compiles its addon at install', () => {
  it.skipIf(process.arch === 'arm64')(
    'is refused by the native check, naming the package and saying to build under emulation',
    async () => {
      // A real node-gyp build (binding.gyp, no install script needed): npm compiles it with the build
      // image's g++ against the image's Node.js headers, for the machine the install runs on.
      const source = workspace({
        'tiny-addon/package/package.json': JSON.stringify({
          name: 'tiny-addon',
          version: '1.0.0',
          main: 'index.js',
        }),
        'tiny-addon/package/index.js': "module.exports = require('./build/Release/tiny.node');\n",
        'tiny-addon/package/binding.gyp': JSON.stringify({
          targets: [{ target_name: 'tiny', sources: ['tiny.c'] }],
        }),
        'tiny-addon/package/tiny.c': '#include <node_api.h>\nNAPI_MODULE_INIT() { return exports; }\n',
      });
      const tarball = path.join(source, 'tiny-addon-1.0.0.tgz');
      execFileSync('tar', ['-czf', tarball, '-C', path.join(source, 'tiny-addon'), 'package']);
      // Served over HTTP on the Docker bridge: a tarball URL dependency.
      const server = http.createServer((_req, res) => res.writeHead(200).end(fs.readFileSync(tarball)));
      await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
      const bridge =
        os.networkInterfaces()['docker0']?.find((a) => a.family === 'IPv4')?.address ?? '172.17.0.1';
      const port = (server.address() as AddressInfo).port;
      const dir = workspace({
        'package.json': JSON.stringify({
          name: 'compiles-at-install',
          private: true,
          dependencies: { 'tiny-addon': `http://${bridge}:${port}/tiny-addon-1.0.0.tgz` },
        }),
      });
      const report = await release(dir, {
        'layer-name': 'compiles-arm64',
        runtime: RUNTIME,
        architecture: TARGET,
        'cross-install': 'true',
      }).finally(() => server.close());
      expect(report.error).toMatch(
        new RegExp(
          `tiny-addon/build/Release/tiny\\.node is built for x86_64: package tiny-addon compiled it at install time on the runner's x86_64 \\(cross-install\\), ` +
            `and an addon compiled during the install cannot target arm64; build under emulation instead \\(cross-install: false\\)`,
        ),
      );
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    },
  );
});
