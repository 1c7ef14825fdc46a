/** The pieces the report is made of: escaping, sizes and times, AWS errors, the package diff. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { packagesInZipFile } from '../../src/layer/zip-packages.js';
import { diffPackages } from '../../src/report/changes.js';
import { explainAwsError } from '../../src/report/failures.js';
import { code, duration, fence, plural, size, text } from '../../src/report/markdown.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-report-parts-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('markdown pieces', () => {
  it('code spans and fences are longer than any backtick run inside', () => {
    expect(code('a``b')).toBe('```a``b```');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a|b')).toBe('`a\\|b`');
    expect(fence('x ```` y')).toBe('`````\nx ```` y\n`````');
    expect(fence('plain', 'text')).toBe('```text\nplain\n```');
  });

  it('text escapes what Markdown or GitHub would read as syntax, on one line', () => {
    expect(text('<img> *a* [b](c) @team #12 a|b\nnext')).toBe(
      '\\<img\\> \\*a\\* \\[b\\](c) \\@team \\#12 a\\|b next',
    );
    expect(text('numpy 2.4.6 - ok')).toBe('numpy 2.4.6 - ok');
    expect(text('x86_64 typing_extensions _private __dunder__')).toBe(
      'x86_64 typing_extensions \\_private \\_\\_dunder\\_\\_',
    );
  });

  it('sizes in decimal units, kB below 1 MB; times in seconds; plurals', () => {
    expect([size(812), size(48_300), size(96_812_345), size(1_500_000_000)]).toEqual([
      '812 B',
      '48.3 kB',
      '96.8 MB',
      '1.50 GB',
    ]);
    expect([duration(0.0004), duration(0.212), duration(1.9447), duration(31.4), duration(125)]).toEqual([
      '< 0.01 s',
      '0.21 s',
      '1.9 s',
      '31 s',
      '2 min 5 s',
    ]);
    expect([plural(1, 'file'), plural(5337, 'file'), plural(0, 'function')]).toEqual([
      '1 file',
      '5,337 files',
      '0 functions',
    ]);
  });
});

describe('AWS errors in plain words', () => {
  it.each([
    [
      'AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: lambda:PublishLayerVersion on resource: x',
      'AccessDeniedException',
      /may not call `lambda:PublishLayerVersion`/,
      /allow `lambda:PublishLayerVersion`/,
    ],
    [
      'ResourceConflictException: The operation cannot be performed at this time. An update is in progress',
      'ResourceConflictException',
      /another update/,
      /wait for the other deployment/,
    ],
    ['TooManyRequestsException: Rate exceeded', 'TooManyRequestsException', /throttled/, /max-parallel/],
    ['ThrottlingException: Rate exceeded', 'ThrottlingException', /throttled/, /max-parallel/],
    [
      'UnrecognizedClientException: The security token included in the request is invalid.',
      'UnrecognizedClientException',
      /does not accept these credentials/,
      /opt-in region/,
    ],
    [
      'Error: getaddrinfo ENOTFOUND lambda.eu-wast-1.amazonaws.com',
      'UnknownRegion',
      /no AWS endpoint/,
      /regions/,
    ],
    [
      `SyntaxError: Unexpected token '<', "<!doctype "... is not valid JSON`,
      'NotAnAwsResponse',
      /web page/,
      /proxy/,
    ],
    ['ServiceException: internal', 'ServiceException', /internal error/, /re-run/],
  ])('%s', (message, expectedCode, meaning, next) => {
    const explained = explainAwsError(message)!;
    expect(explained.code).toBe(expectedCode);
    expect(explained.meaning).toMatch(meaning);
    expect(explained.next).toMatch(next);
  });

  it('an unknown AWS error keeps its code; plain text has none', () => {
    expect(explainAwsError('KMSAccessDeniedFault: nope')).toEqual({
      code: 'KMSAccessDeniedFault',
      meaning: 'AWS refused the request',
    });
    expect(explainAwsError('the update failed: Failed (EniLimitExceeded)')).toBeUndefined();
  });
});

describe('diffPackages', () => {
  it('added, removed, upgraded, downgraded; names compared as PEP 503 does; versions number by number', () => {
    const before = [
      { name: 'numpy', version: '2.4.5' },
      { name: 'pytz', version: '2025.1' },
      { name: 'typing_extensions', version: '4.9.0' },
      { name: 'tzdata', version: '2025.3' },
      { name: 'six', version: '1.17.0' },
    ];
    const after = [
      { name: 'numpy', version: '2.4.10' },
      { name: 'pyarrow', version: '21.0.0' },
      { name: 'typing-extensions', version: '4.9.0' },
      { name: 'tzdata', version: '2025.2' },
      { name: 'six', version: '1.17.0' },
    ];
    expect(diffPackages(before, after)).toEqual({
      changes: [
        { name: 'numpy', kind: 'upgraded', before: '2.4.5', after: '2.4.10' },
        { name: 'pyarrow', kind: 'added', after: '21.0.0' },
        { name: 'pytz', kind: 'removed', before: '2025.1' },
        { name: 'tzdata', kind: 'downgraded', before: '2025.3', after: '2025.2' },
      ],
      unchanged: 2,
    });
  });

  it('files without versions (a custom runtime) are changed or not, by CRC', () => {
    expect(
      diffPackages(
        [{ name: 'bootstrap', version: 'crc32:00000001' }],
        [{ name: 'bootstrap', version: 'crc32:00000002' }],
      ).changes,
    ).toEqual([{ name: 'bootstrap', kind: 'changed', before: 'crc32:00000001', after: 'crc32:00000002' }]);
  });
});

async function zipOf(files: Record<string, string>): Promise<string> {
  const file = path.join(root, `${Math.random().toString(16).slice(2)}.zip`);
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject),
  );
  return file;
}

describe('packagesInZipFile', () => {
  it('python: from the dist-info folder names, flat or versioned layout, folders listed or not', async () => {
    const zip = await zipOf({
      'python/numpy-2.4.6.dist-info/METADATA': 'Name: numpy',
      'python/numpy/__init__.py': '',
      'python/lib/python3.12/site-packages/PyYAML-6.0.2.dist-info/RECORD': '',
    });
    expect(await packagesInZipFile(zip, 'python')).toEqual([
      { name: 'numpy', version: '2.4.6' },
      { name: 'PyYAML', version: '6.0.2' },
    ]);
  });

  it('nodejs: from npm’s hidden lock in node_modules, top-level packages only', async () => {
    const lock = {
      packages: {
        '': { name: 'layer' },
        'node_modules/axios': { version: '1.7.9' },
        'node_modules/@smithy/types': { version: '4.1.0' },
        'node_modules/axios/node_modules/form-data': { version: '4.0.1' },
      },
    };
    const zip = await zipOf({ 'nodejs/node_modules/.package-lock.json': JSON.stringify(lock) });
    expect(await packagesInZipFile(zip, 'nodejs')).toEqual([
      { name: '@smithy/types', version: '4.1.0' },
      { name: 'axios', version: '1.7.9' },
    ]);
  });

  it('nodejs without a lock: each top-level package.json', async () => {
    const zip = await zipOf({
      'nodejs/node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.3.0"}',
      'nodejs/node_modules/left-pad/node_modules/x/package.json': '{"name":"x","version":"9.9.9"}',
      'nodejs/node_modules/@scope/pkg/package.json': '{"name":"@scope/pkg","version":"0.1.0"}',
    });
    expect(await packagesInZipFile(zip, 'nodejs')).toEqual([
      { name: '@scope/pkg', version: '0.1.0' },
      { name: 'left-pad', version: '1.3.0' },
    ]);
  });

  it('java jars, ruby gemspecs, and a custom runtime’s executables by CRC', async () => {
    const java = await zipOf({ 'java/lib/commons-text-1.13.1.jar': 'x' });
    expect(await packagesInZipFile(java, 'java')).toEqual([{ name: 'commons-text', version: '1.13.1' }]);
    const ruby = await zipOf({
      'ruby/gems/3.3.0/specifications/nokogiri-1.16.0-x86_64-linux.gemspec': '',
      'ruby/gems/3.3.0/specifications/rack-3.1.8.gemspec': '',
    });
    expect(await packagesInZipFile(ruby, 'ruby')).toEqual([
      { name: 'nokogiri', version: '1.16.0' },
      { name: 'rack', version: '3.1.8' },
    ]);
    const provided = await zipOf({ bootstrap: '#!/bin/sh', 'bin/tool': 'x', 'lib/libx.so': 'y' });
    const found = await packagesInZipFile(provided, 'provided');
    expect(found.map((p) => p.name)).toEqual(['bin/tool', 'bootstrap']);
    expect(found[0]!.version).toMatch(/^crc32:[0-9a-f]{8}$/);
  });
});
