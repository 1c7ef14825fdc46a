/**
 * The release example attests what it released (docs/sbom.md): build provenance of the zip and the
 * SBOM with the zip as its subject, from the action's own outputs, with the permissions that needs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const outputs = Object.keys(
  (parse(fs.readFileSync(path.join(repo, 'action.yml'), 'utf8')) as { outputs: Record<string, unknown> })
    .outputs,
);

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}

const workflow = parse(
  fs.readFileSync(path.join(repo, 'examples/workflows/on-manifest-change.yml'), 'utf8'),
) as { permissions: Record<string, string>; jobs: Record<string, Job> };
const release = workflow.jobs['release']!;
const layerStep = release.steps.findIndex((s) =>
  s.uses?.startsWith('lambda-layer-release/lambda-layer-release@'),
);
const attests = release.steps.filter((s) => s.uses?.startsWith('actions/attest@'));

describe('examples/workflows/on-manifest-change.yml, release job', () => {
  it('attests the zip (provenance) and its SBOM (subject: the zip), after the action and from its outputs', () => {
    const id = release.steps[layerStep]!.id!;
    expect(attests.map((s) => s.with)).toEqual([
      { 'subject-path': `\${{ steps.${id}.outputs.zip-file }}` },
      {
        'subject-path': `\${{ steps.${id}.outputs.zip-file }}`,
        'sbom-path': `\${{ steps.${id}.outputs.sbom }}`,
      },
    ]);
    for (const step of attests) {
      expect(release.steps.indexOf(step)).toBeGreaterThan(layerStep);
      // Only when this run built a zip (an unchanged re-run builds nothing), and also after a failed roll-out.
      expect(step.if).toBe(`\${{ !cancelled() && steps.${id}.outputs.sbom != '' }}`);
    }
    for (const [, output] of JSON.stringify(attests).matchAll(/outputs\.([\w-]+)/g))
      expect(outputs).toContain(output);
  });

  it('grants what attesting needs: an OIDC token for the signing certificate and attestations: write', () => {
    expect(release.permissions).toEqual({ 'id-token': 'write', contents: 'write', attestations: 'write' });
    // The plan job (a pull request) attests nothing and may not.
    expect(workflow.jobs['plan']!.permissions!['attestations']).toBeUndefined();
    expect(workflow.jobs['plan']!.steps.some((s) => s.uses?.startsWith('actions/attest'))).toBe(false);
  });
});
