/**
 * What a build can reach, for real: a workspace as actions/checkout and a workflow leave it (a persisted
 * token in .git/config, .git-credentials, an .npmrc with a token, a credential file in RUNNER_TEMP), and
 * a build-command and an npm postinstall script that try to read them. The token must appear nowhere:
 * not in the log, not in the layer, not in the summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extractZip } from '../../src/layer/zip.js';
import { renderSummary, type Report } from '../../src/report/index.js';
import { runInProcess, workspace } from '../support/release.js';

const TOKEN = 'ghs_LeakCanary0123456789abcdefABCDEF';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

/** The workspace after actions/checkout (persist-credentials) and a step that wrote an .npmrc. */
function checkedOut(files: Record<string, string>): string {
  const dir = workspace({
    '.git/config':
      '[core]\n\trepositoryformatversion = 0\n' +
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n` +
      '[credential]\n\thelper = store\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git-credentials': `https://x-access-token:${TOKEN}@github.com\n`,
    '.npmrc': `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${TOKEN}\n`,
    // actions/checkout v6 keeps the credentials in a config file under RUNNER_TEMP (here inside the workspace).
    '.runner-temp/git-credentials-1234.config': `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`,
    ...files,
  });
  return dir;
}

let log: string[];
beforeEach(() => {
  log = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

/** Every file of the layer zip, extracted, as text. */
async function zipText(report: Report): Promise<string> {
  const out = path.join(path.dirname(report.artifact!.zipFile), 'check');
  await extractZip(report.artifact!.zipFile, out);
  return fs
    .readdirSync(out, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(out, name))
    .filter((file) => fs.statSync(file).isFile())
    .map((file) => `${file}:\n${fs.readFileSync(file, 'utf8')}`)
    .join('\n');
}

function expectNoToken(report: Report, layer: string): void {
  for (const [where, text] of [
    ['log', log.join('')],
    ['layer', layer],
    ['summary', renderSummary(report)],
  ] as const) {
    expect(text, where).not.toContain(TOKEN);
    expect(text, where).not.toContain(BASIC);
  }
}

describe('the build cannot read credentials from the workspace', () => {
  it('build-command: .git, .git-credentials, the .npmrc token and RUNNER_TEMP are out of reach; flags hold', async () => {
    const dir = checkedOut({ 'tool.py': 'NAME = "tool"\n' });
    const report = await runInProcess(dir, {
      'layer-name': 'leak-canary',
      runtime: 'python3.11',
      'smoke-imports': 'tool',
      'build-command': [
        'out="$LAYER_INSTALL_DIR"',
        'mkdir -p "$out"',
        'cp tool.py "$out/"',
        'echo "attempt: reading the checkout credentials"',
        'for f in .git/config .git-credentials .npmrc .runner-temp/git-credentials-1234.config; do',
        '  echo "== $f"; cat "$f" || true',
        'done 2>&1 | tee "$out/stolen.txt"',
        'ls -A .git .runner-temp > "$out/listing.txt" 2>&1 || true',
        'git config --list > "$out/git.txt" 2>&1 || true',
        'grep -rs -e ghs_ -e extraheader / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev >> "$out/stolen.txt" 2>/dev/null || true',
        'env > "$out/env.txt"',
        'grep -E "^(CapEff|CapPrm|NoNewPrivs):" /proc/self/status > "$out/status.txt"',
        // cgroup v2, then v1; "unknown" only on a kernel without the pids controller.
        '{ cat /sys/fs/cgroup/pids.max || cat /sys/fs/cgroup/pids/pids.max || echo unknown; } > "$out/pids.txt" 2>/dev/null',
        'echo "ok" > .written-by-build',
      ].join('\n'),
    });
    expect(report.error).toBeUndefined();
    const site = path.join(report.artifact!.layerDir, 'python/lib/python3.11/site-packages');
    const read = (name: string): string => fs.readFileSync(path.join(site, name), 'utf8');

    // The attempts ran, and found nothing: empty files, an empty .git, an .npmrc without its token.
    expect(log.join('')).toContain('attempt: reading the checkout credentials');
    expect(read('stolen.txt')).toContain('== .git/config');
    expect(read('stolen.txt')).toContain('registry=https://registry.npmjs.org/');
    expect(read('listing.txt').trim().split('\n')).toEqual(['.git:', '', '.runner-temp:']);
    expect(log.join('')).toMatch(
      /Hidden from the build: \.git \(emptied\), \.git-credentials \(emptied\), \.npmrc \(credentials removed\), \.runner-temp \(emptied\)\./,
    );
    expectNoToken(report, await zipText(report));

    // No capability, no way to gain one, a pids limit (where the kernel reports it).
    const status = read('status.txt');
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^CapPrm:\s+0+$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(['4096', 'unknown']).toContain(read('pids.txt').trim());
    // The environment has only what the action gives.
    expect(read('env.txt')).not.toMatch(/GITHUB_TOKEN|AWS_|INPUT_/);

    // A build-command may still write to the sources; the hidden files are untouched on the runner.
    expect(fs.readFileSync(path.join(dir, '.written-by-build'), 'utf8')).toBe('ok\n');
    expect(fs.readFileSync(path.join(dir, '.npmrc'), 'utf8')).toContain(TOKEN);
    expect(fs.readFileSync(path.join(dir, '.git/config'), 'utf8')).toContain(BASIC);
  });

  it('default Node build: an npm postinstall script finds no token either', async () => {
    const steal =
      'for f in /src/.git/config /src/.git-credentials /src/.npmrc /src/.runner-temp/git-credentials-1234.config; ' +
      'do echo "== $f"; cat "$f"; done > stolen.txt 2>&1; cat stolen.txt; ' +
      'echo "postinstall ran as $(id -u)"; true';
    const dir = checkedOut({
      'package.json': JSON.stringify({
        name: 'leak-canary',
        version: '1.0.0',
        private: true,
        dependencies: { 'is-number': '7.0.0' },
        scripts: { postinstall: steal },
      }),
    });
    const report = await runInProcess(dir, {
      'layer-name': 'leak-canary-node',
      runtime: 'nodejs18.x',
      // npm's own .npmrc lookups must not see the token either: only the copy without it is mounted.
      'install-args': '--foreground-scripts',
    });
    expect(report.error).toBeUndefined();
    expect(log.join('')).toContain(`postinstall ran as ${process.getuid!()}`);
    const stolen = fs.readFileSync(path.join(report.artifact!.layerDir, 'nodejs/stolen.txt'), 'utf8');
    expect(stolen).toContain('== /src/.npmrc\nregistry=https://registry.npmjs.org/');
    expectNoToken(report, await zipText(report));
  });
});
