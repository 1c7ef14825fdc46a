// Installs, in the Node.js build container, the npm packages the last build's layer could not give back
// (src/cache/npm-reuse.ts): each tarball is downloaded from where `npm ci` would download it (the lock's
// URL, its registry.npmjs.org host replaced by npm's configured registry, as npm's
// replace-registry-host does), checked against the lock's sha512 integrity, and unpacked where `npm ci`
// puts it, as npm unpacks it (the first folder stripped, modes as the umask leaves them). npm's own
// fetch is not used: it reads every file of a tarball for its manifest (9 s for date-fns' 5,000 files).
// The host puts the reused packages back meanwhile, and writes npm's record of the tree when both are done;
// this script waits for LLR_READY, a file the host moves into place once the reused packages are back
// ("ready") or could not be ("failed"), so the container ends with the layer whole.
// Exit code 3 means the reuse is not possible here (a download that needs npm's credentials or a proxy,
// a tarball that is not what the lock says, or that holds a link or a .gitignore, which npm treats its own
// way): the host then runs `npm ci` from nothing, as without a cache.
//
// Runs in the layer's nodejs/ folder. Environment: LLR_FETCH (a JSON file: [{path, url, integrity}]),
// LLR_READY. Arguments: install-args, for npm's configuration (the registry).
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const NOT_POSSIBLE = 3;
const fetches = JSON.parse(fs.readFileSync(process.env.LLR_FETCH, 'utf8'));

function refuse(why) {
  console.log(`LLR-REUSE ${why}`);
  process.exit(NOT_POSSIBLE);
}

const SETTINGS = ['registry', 'replace-registry-host', 'cafile', 'ca', 'strict-ssl', 'https-proxy', 'proxy'];
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** npm's settings that decide a download, as `npm ci` with install-args reads them. */
function npmConfig() {
  const result = spawnSync('npm', ['config', 'get', ...SETTINGS, ...process.argv.slice(2)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) refuse(`npm config could not be read (exit code ${result.status})`);
  const values = new Map(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]),
  );
  const set = (name) => values.has(name) && !['', 'null', 'undefined'].includes(values.get(name));
  // A proxy or inline certificates: npm's own download path is the one that honours them.
  const proxy = ['https-proxy', 'proxy', 'ca'].find(set) ?? PROXY_VARIABLES.find((name) => process.env[name]);
  if (proxy) refuse(`${proxy} is set, which npm ci honours its own way`);
  return {
    registry: values.get('registry'),
    replace: values.get('replace-registry-host') ?? 'npmjs',
    // npm's cafile replaces Node's certificate authorities, as here.
    ca: set('cafile') ? fs.readFileSync(values.get('cafile').replace(/^"|"$/g, '')) : undefined,
    strict: values.get('strict-ssl') !== 'false',
  };
}

/** Where npm downloads a locked URL from (pacote's RemoteFetcher does the same). */
function downloadUrl(resolved, { registry, replace }) {
  const url = new URL(resolved);
  const host = replace === 'npmjs' ? 'registry.npmjs.org' : replace;
  const replaced = replace !== 'never' && (replace === 'always' || url.host === host);
  return replaced ? new URL(url.pathname, registry).href : url.href;
}

/** The body of a GET, following redirects; rejects with the status or the network's error. */
function get(url, config, redirects = 5) {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const options = url.startsWith('https:') ? { ca: config.ca, rejectUnauthorized: config.strict } : {};
    client
      .get(url, options, (response) => {
        const { statusCode = 0, headers } = response;
        if (statusCode >= 300 && statusCode < 400 && headers.location && redirects > 0) {
          response.resume();
          return resolve(get(new URL(headers.location, url).href, config, redirects - 1));
        }
        if (statusCode !== 200) {
          response.resume();
          return reject(new Error(`HTTP ${statusCode}`));
        }
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function download(item, config) {
  const url = downloadUrl(item.url, config);
  try {
    return await get(url, config);
  } catch (error) {
    return refuse(`${item.path}: ${url} could not be downloaded here (${error.code ?? error.message})`);
  }
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

function unpack({ path: where, integrity }, bytes) {
  if (!matches(integrity, bytes)) refuse(`${where}: the tarball is not the lock's ${integrity}`);
  const tarball = path.join(fs.mkdtempSync('/tmp/llr-npm-'), 'package.tgz');
  fs.writeFileSync(tarball, bytes);
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
  if (result.status !== 0) refuse(`${where}: tar could not unpack its tarball`);
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
  const config = npmConfig();
  const tarballs = await Promise.all(fetches.map((f) => download(f, config)));
  fetches.forEach((f, i) => unpack(f, tarballs[i]));
  console.log(`Fetched ${fetches.length} npm package(s); the others come from the last build.`);
}
if ((await putBack()) !== 'ready') refuse("the last build's packages could not be put back");
