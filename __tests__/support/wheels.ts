/**
 * Makes tiny but real Python wheels (no PyPI here): a zip with the package's modules and a
 * .dist-info folder whose RECORD carries the hashes pip expects.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ZipFile } from 'yazl';

export interface WheelSpec {
  readonly name: string;
  readonly version: string;
  /** path inside site-packages → file content (a Buffer for a binary, e.g. a compiled .so) */
  readonly files: Readonly<Record<string, string | Buffer>>;
  /** Wheel tag (python-abi-platform); default py3-none-any. Any other tag makes a platform wheel. */
  readonly tag?: string;
  /** More METADATA header lines, e.g. `License-Expression: MIT\n`. */
  readonly metadata?: string;
}

const digest = (content: string | Buffer): string =>
  `sha256=${createHash('sha256').update(content).digest('base64url')}`;

/** Writes `<dir>/<name>-<version>-<tag>.whl` and returns its path. */
export async function makeWheel(dir: string, spec: WheelSpec): Promise<string> {
  const distName = spec.name.replace(/-/g, '_');
  const distInfo = `${distName}-${spec.version}.dist-info`;
  const topLevel = [
    ...new Set(Object.keys(spec.files).map((file) => file.split('/')[0]!.replace(/\.py$/, ''))),
  ];
  const purelib = (spec.tag ?? 'py3-none-any').endsWith('-none-any');
  const files: Record<string, string | Buffer> = {
    ...spec.files,
    [`${distInfo}/METADATA`]: `Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\n${spec.metadata ?? ''}`,
    [`${distInfo}/WHEEL`]: `Wheel-Version: 1.0\nGenerator: llr-tests\nRoot-Is-Purelib: ${purelib}\nTag: ${spec.tag ?? 'py3-none-any'}\n`,
    [`${distInfo}/top_level.txt`]: `${topLevel.join('\n')}\n`,
  };
  const record = Object.entries(files).map(
    ([file, content]) => `${file},${digest(content)},${Buffer.byteLength(content)}`,
  );
  files[`${distInfo}/RECORD`] = `${[...record, `${distInfo}/RECORD,,`].join('\n')}\n`;

  const wheel = path.join(dir, `${distName}-${spec.version}-${spec.tag ?? 'py3-none-any'}.whl`);
  await fs.promises.mkdir(dir, { recursive: true });
  const zip = new ZipFile();
  for (const [file, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), file);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(wheel)).on('close', resolve).on('error', reject);
  });
  return wheel;
}

/** A find-links page and the wheels of `dir` over HTTP on the Docker bridge; records each download. */
export async function wheelServer(dir: string): Promise<{
  url: string;
  host: string;
  /** The wheels downloaded, in order. */
  got: string[];
  downloads(): number;
  close(): Promise<void>;
}> {
  const got: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    if (name === '') {
      const links = fs.readdirSync(dir).map((f) => `<a href="/${f}">${f}</a>`);
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(links.join('\n'));
    }
    if (!fs.existsSync(path.join(dir, name))) return void res.writeHead(404).end();
    got.push(name);
    // As PyPI serves files: immutable, so pip keeps them in its HTTP cache.
    res
      .writeHead(200, {
        'content-type': 'application/octet-stream',
        'cache-control': 'max-age=365000000, immutable, public',
      })
      .end(fs.readFileSync(path.join(dir, name)));
  });
  const host = os.networkInterfaces()['docker0']?.find((a) => a.family === 'IPv4')?.address ?? '172.17.0.1';
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/`,
    host,
    got,
    downloads: () => got.length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
