/**
 * 8. `functions:` with 1,000 names that do not exist, through `node dist/index.js` on the double with
 * Lambda's quotas (GetFunction 100 req/s, the rest 15 req/s), in regions holding 100 and 5,000 functions:
 * how long until the run is refused, and which look-up answered (GetFunction calls in parallel, or the
 * ListFunctions listing that races them). Before the race, the names were read one GetFunction at a time.
 */
import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import { log, REGION, runAction, s, startDouble, table, workspaceWithZip } from './lib.mjs';

const NAMES = 1000;

async function measure(functionsInRegion) {
  const aws = await startDouble({ controlPlaneRps: 15, getFunctionRps: 100 });
  await aws.seedLayerVersion({ region: REGION, name: 'look-up-layer', content: Buffer.from('v1') });
  for (let i = 0; i < functionsInRegion; i++) {
    aws.seedFunction({ region: REGION, name: `fn-${String(i).padStart(5, '0')}`, runtime: 'python3.11' });
  }
  const workspace = await workspaceWithZip('look-up');
  const names = Array.from({ length: NAMES }, (_, i) => `missing-${String(i).padStart(4, '0')}`);
  log(`${NAMES} unknown names in a region of ${functionsInRegion} functions`);
  const result = await runAction(
    workspace,
    {
      steps: 'build,publish,roll-out',
      'layer-name': 'look-up-layer',
      runtime: 'python3.11',
      'zip-file': 'layer.zip',
      regions: REGION,
      functions: names.join(' '),
    },
    aws.env(),
  );
  const refused = result.code !== 0 && /functions: "missing-0000" does not exist/.test(result.stdout);
  const count = (operation) => aws.requests.filter((r) => r.operation === operation).length;
  const row = [
    functionsInRegion.toLocaleString('en'),
    s(result.seconds),
    count('PublishLayerVersion'),
    count('GetFunction'),
    count('ListFunctions'),
    aws.requests.filter((r) => r.throttled).length,
    refused ? 'yes' : 'NO',
  ];
  await aws.close();
  fs.rmSync(workspace, { recursive: true });
  return row;
}

export async function bench() {
  const rows = [];
  for (const size of [100, 5000]) rows.push(await measure(size));
  return [
    `${NAMES.toLocaleString('en')} names that exist nowhere; \`steps: build,publish,roll-out\` with \`zip-file\`.`,
    'Reading them one GetFunction at a time took 14.9 s (issue 17); at the GetFunction quota alone the bound',
    'is 10 s. Past 90 names a ListFunctions listing (50 per page, 15 pages a second) races the GetFunction',
    'calls and the first to finish answers; the other is aborted. The names are refused by the preflight,',
    'before anything is published (docs/preflight.md).',
    '',
    table(
      [
        'Functions in the region',
        'Wall time',
        'Published versions',
        'GetFunction calls',
        'ListFunctions pages',
        'Throttled',
        'Refused',
      ],
      rows,
    ),
  ].join('\n');
}
