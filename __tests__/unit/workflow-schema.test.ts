import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowErrors, workflowFiles } from '../../scripts/lint-workflows.js';

// action-validator (the Rust validator, compiled to WebAssembly) checks each file against the SchemaStore
// workflow schema, as `npm run lint:workflows` does (scripts/lint-workflows.ts, which also checks the
// permission keys newer than the validator's schema).
const repo = path.resolve(import.meta.dirname, '../..');

describe.each(workflowFiles(repo))('%s', (file) => {
  it('is a valid workflow', () => {
    expect(workflowErrors(fs.readFileSync(path.join(repo, file), 'utf8'))).toEqual([]);
  });
});

it('the validator refuses what GitHub would refuse', () => {
  const job = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';
  expect(workflowErrors(`on: push\n${job}`)).toEqual([]);
  expect(workflowErrors(`on: pushed\n${job}`)).not.toEqual([]);
  expect(workflowErrors(`on: push\n${job.replace('steps:', 'stepz:')}`)).not.toEqual([]);
  expect(workflowErrors(`on: push\npermissions:\n  contents: admin\n${job}`)).not.toEqual([]);
  // The permissions newer than the validator's schema: accepted with a level, refused with another value.
  const attest = 'permissions:\n  id-token: write\n  attestations: write\n  artifact-metadata: read\n';
  expect(workflowErrors(`on: push\n${attest}${job}`)).toEqual([]);
  expect(
    workflowErrors(`on: push\n${attest.replace('attestations: write', 'attestations: admin')}${job}`),
  ).toEqual([{ line: 4, title: 'attestations: must be read, write or none' }]);
  expect(workflowErrors(`on: push\npermissions:\n  attestation: write\n${job}`)).not.toEqual([]);
});
