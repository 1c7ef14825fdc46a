/** 2. Discovery: `functions: auto` scanning 10,000 functions (200 pages of 50) with `dry-run: true`. */
import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import { apiStats, log, REGION, runAction, s, startDouble, table, workspaceWithZip } from './lib.mjs';

const FUNCTIONS = 10_000;
const LAYER = 'discovery-layer';

export async function bench() {
  const aws = await startDouble({ controlPlaneRps: 15, getFunctionRps: 100, updateLatencyMs: 1000 });
  const v1 = await aws.seedLayerVersion({ region: REGION, name: LAYER, content: Buffer.from('version 1') });
  for (let i = 0; i < FUNCTIONS; i++) {
    aws.seedFunction({
      region: REGION,
      name: `fn-${String(i).padStart(5, '0')}`,
      runtime: 'python3.11',
      layers: i % 2500 === 0 ? [v1.LayerVersionArn] : [],
    });
  }
  const workspace = await workspaceWithZip('discovery');
  log(`discovery of ${FUNCTIONS} functions (dry-run)`);
  const result = await runAction(
    workspace,
    {
      steps: 'build,publish,roll-out',
      'layer-name': LAYER,
      runtime: 'python3.11',
      'zip-file': 'layer.zip',
      regions: REGION,
      'dry-run': 'true',
    },
    aws.env(),
  );
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout.slice(-3000)}`);
  const stats = apiStats(aws);
  const planned = (result.stdout.match(/^ {2}planned /gm) ?? []).length;
  await aws.close();
  fs.rmSync(workspace, { recursive: true });

  const ratio = result.seconds / stats.quotaBoundSeconds;
  return [
    `${FUNCTIONS.toLocaleString('en')} functions, 4 of them consumers, on the double with the 15 req/s quota;`,
    '`node dist/index.js` with `steps: build,publish,roll-out`, `functions: auto`, `dry-run: true`.',
    '',
    table(
      [
        'Wall time',
        'Roll-out step',
        'ListFunctions pages',
        'Control-plane calls',
        'Throttled',
        'Quota bound',
        'Time ÷ bound',
        'Planned',
      ],
      [
        [
          s(result.seconds),
          s(result.stepSeconds['roll-out']),
          stats.listFunctions,
          stats.controlPlane,
          stats.throttled,
          s(stats.quotaBoundSeconds),
          ratio.toFixed(2),
          planned,
        ],
      ],
    ),
    '',
    `The scan is paced at the quota: ${stats.listFunctions} pages in ${s(result.stepSeconds['roll-out'])},`,
    `${ratio.toFixed(2)} × the bound for the whole run (the quota’s first second is a burst of 15).`,
  ].join('\n');
}
