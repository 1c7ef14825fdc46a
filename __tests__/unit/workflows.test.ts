import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const actionInputs = Object.keys(
  (parse(fs.readFileSync(path.join(repo, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> })
    .inputs,
);

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps?: Step[] }>;
}

const files = [
  ...fs.readdirSync(path.join(repo, 'examples/workflows')).map((f) => `examples/workflows/${f}`),
  ...fs.readdirSync(path.join(repo, '.github/workflows')).map((f) => `.github/workflows/${f}`),
];

/** Workflows with no step that runs the action: CodeQL scans the source, release.yml calls ci.yml. */
const WITHOUT_THE_ACTION = ['.github/workflows/codeql.yml', '.github/workflows/release.yml'];

describe.each(files)('%s', (file) => {
  const workflow = parse(fs.readFileSync(path.join(repo, file), 'utf8')) as Workflow;
  const ours = Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .filter(
      (step) => step.uses === './' || step.uses?.startsWith('lambda-layer-release/lambda-layer-release@'),
    );

  if (WITHOUT_THE_ACTION.includes(file)) {
    it('does not use the action', () => {
      expect(ours).toEqual([]);
    });
  } else {
    it('uses the action, only with inputs that action.yml declares, and its required ones', () => {
      expect(ours.length, `${file} has a step that uses the action`).toBeGreaterThan(0);
      for (const step of ours) {
        for (const key of Object.keys(step.with ?? {}))
          expect(actionInputs, `${file}: with.${key}`).toContain(key);
        expect(Object.keys(step.with ?? {})).toEqual(expect.arrayContaining(['layer-name', 'runtime']));
      }
    });
  }

  it('declares a minimal permissions block', () => {
    expect(workflow.permissions, file).toBeDefined();
    expect(Object.values(workflow.permissions!).every((p) => p === 'read' || p === 'write')).toBe(true);
  });
});

it('has an example for each way users run it', () => {
  const triggers = files
    .filter((f) => f.startsWith('examples/'))
    .flatMap((f) => Object.keys(parse(fs.readFileSync(path.join(repo, f), 'utf8')).on));
  expect(triggers).toEqual(
    expect.arrayContaining(['push', 'pull_request', 'workflow_dispatch', 'workflow_call']),
  );
});
