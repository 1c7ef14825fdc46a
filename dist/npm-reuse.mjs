// Installs, in the Node.js build container, the npm packages the last build's layer could not give back
// (src/cache/npm-reuse.ts): npm fetches their tarballs (with the project's registry, auth and proxy
// settings and install-args), each is checked against the lock's sha512 integrity and unpacked where
// `npm ci` puts it, as npm unpacks it (the first folder stripped, modes as the umask leaves them). The
// host puts the reused packages back meanwhile, and writes npm's record of the tree when both are done.
// Exit code 3 means the reuse is not possible here (npm could not fetch, a tarball is not what the lock
// says, or holds a link or a .gitignore, which npm treats its own way): the host then runs `npm ci` from
// nothing, as without a cache.
//
// It then waits for LLR_READY, a file the host moves into place once the reused packages are back
// ("ready") or could not be ("failed"), so the container ends with the layer whole.
//
// Runs in the layer's nodejs/ folder. Environment: LLR_FETCH (a JSON file: [{path, spec, integrity}]),
// LLR_READY. Arguments: install-args, passed to npm.
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const NOT_POSSIBLE = 3;
const fetches = JSON.parse(fs.readFileSync(process.env.LLR_FETCH, 'utf8'));

function refuse(why) {
  console.log(`LLR-REUSE ${why}`);
  process.exit(NOT_POSSIBLE);
}

/** npm pack of every spec into a folder of its own; the tarballs, in the order asked. */
function pack(specs) {
  const into = fs.mkdtempSync('/tmp/llr-npm-pack-');
  const args = ['pack', ...specs, '--pack-destination', into, '--json', ...process.argv.slice(2)];
  const result = spawnSync('npm', args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false' },
  });
  if (result.status !== 0) refuse(`npm pack could not fetch the packages (exit code ${result.status})`);
  const packed = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
  if (packed.length !== specs.length) refuse(`npm pack gave ${packed.length} tarballs for ${specs.length}`);
  return packed.map((p) => path.join(into, p.filename));
}

/** The lock's sha512 of a tarball (`sha512-…`, maybe among other algorithms) matches its bytes. */
function matches(integrity, bytes) {
  const actual = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  return integrity.split(/\s+/).some((hash) => hash.split('?')[0] === actual);
}

/** Every entry of a freshly unpacked folder is a plain file or folder, and none is a .gitignore. */
function plain(dir) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const stats = fs.lstatSync(file);
    if (stats.isDirectory()) {
      const inner = plain(file);
      if (inner) return inner;
    } else if (!stats.isFile() || stats.nlink > 1) return `${name} is a link`;
    else if (name === '.gitignore') return `${name} is one npm renames`;
  }
  return undefined;
}

function unpack({ path: where, integrity }, tarball) {
  if (!matches(integrity, fs.readFileSync(tarball)))
    refuse(`${where}: the tarball is not the lock's ${integrity}`);
  // Unpacked beside its place, then moved there whole: a half-unpacked package is never in the tree.
  const stage = fs.mkdtempSync(path.join(process.cwd(), '.llr-unpack-'));
  const tar = [
    '-xzf',
    tarball,
    '-C',
    stage,
    '--strip-components=1',
    '--no-same-owner',
    '--no-same-permissions',
  ];
  const result = spawnSync('tar', tar, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) refuse(`${where}: tar could not unpack ${path.basename(tarball)}`);
  const odd = plain(stage);
  if (odd) refuse(`${where}: its tarball holds ${odd}`);
  if (fs.existsSync(where)) refuse(`${where} is already there`);
  fs.chmodSync(stage, 0o777 & ~process.umask()); // a package folder as npm makes it, not mkdtemp's 0700
  fs.mkdirSync(path.dirname(where), { recursive: true });
  fs.renameSync(stage, where);
}

/** The host's word on the reused packages. */
async function putBack() {
  while (!fs.existsSync(process.env.LLR_READY)) await sleep(25);
  return fs.readFileSync(process.env.LLR_READY, 'utf8').trim();
}

if (fetches.length > 0) {
  const tarballs = pack(fetches.map((f) => f.spec));
  fetches.forEach((f, i) => unpack(f, tarballs[i]));
  console.log(`npm fetched ${fetches.length} package(s); the others come from the last build.`);
}
if ((await putBack()) !== 'ready') refuse("the last build's packages could not be put back");
