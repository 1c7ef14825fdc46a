import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// action-validator (the Rust validator, compiled to WebAssembly) checks each file against the SchemaStore
// workflow schema; `npm run lint:workflows` runs its CLI on the same files.
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow: (src: string) => { errors: unknown[] };
};

const repo = path.resolve(import.meta.dirname, '../..');
const workflows = ['.github/workflows', 'examples/workflows'].flatMap((dir) =>
  fs
    .readdirSync(path.join(repo, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`),
);

describe.each(workflows)('%s', (file) => {
  it('is a valid workflow', () => {
    expect(validateWorkflow(fs.readFileSync(path.join(repo, file), 'utf8')).errors).toEqual([]);
  });
});

it('the validator refuses what GitHub would refuse', () => {
  const job = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';
  expect(validateWorkflow(`on: push\n${job}`).errors).toEqual([]);
  expect(validateWorkflow(`on: pushed\n${job}`).errors).not.toEqual([]);
  expect(validateWorkflow(`on: push\n${job.replace('steps:', 'stepz:')}`).errors).not.toEqual([]);
  expect(validateWorkflow(`on: push\npermissions:\n  contents: admin\n${job}`).errors).not.toEqual([]);
});
