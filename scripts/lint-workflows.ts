/**
 * `npm run lint:workflows`: every workflow of .github/workflows and examples/workflows checked with
 * action-validator (the Rust validator compiled to WebAssembly) against its SchemaStore workflow schema.
 *
 * action-validator 0.6.0, the newest release, carries a schema from before GitHub added the
 * `attestations` and `artifact-metadata` permissions (docs.github.com, "Permissions for the
 * GITHUB_TOKEN"; mpalmer/action-validator#75), so it refuses a job that may write attestations. Those
 * two keys are checked here instead (read, write or none) and left out of the copy the validator sees;
 * everything else, other permission keys included, is the validator's to judge.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow: (src: string) => { errors: unknown[] };
};

/** Permission keys GitHub accepts that the validator's schema does not know yet. */
export const NEWER_PERMISSIONS = ['attestations', 'artifact-metadata'];
const NEWER = new RegExp(`^(\\s+)(${NEWER_PERMISSIONS.join('|')}):\\s*(\\S+)\\s*(#.*)?$`);

/** The validator's errors for a workflow's text, and ours for the permission keys it does not know. */
export function workflowErrors(text: string): unknown[] {
  const errors: unknown[] = [];
  const known = text.split('\n').map((line, index) => {
    const match = NEWER.exec(line);
    if (!match) return line;
    if (!['read', 'write', 'none'].includes(match[3]!.replace(/^['"]|['"]$/g, ''))) {
      errors.push({ line: index + 1, title: `${match[2]}: must be read, write or none` });
    }
    return '';
  });
  return [...errors, ...validateWorkflow(known.join('\n')).errors];
}

/** The workflow files of the repository, relative to it. */
export function workflowFiles(repo: string): string[] {
  return ['.github/workflows', 'examples/workflows'].flatMap((dir) =>
    fs
      .readdirSync(path.join(repo, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${dir}/${f}`),
  );
}

if (import.meta.main) {
  const repo = path.resolve(import.meta.dirname, '..');
  let failed = false;
  for (const file of workflowFiles(repo)) {
    const errors = workflowErrors(fs.readFileSync(path.join(repo, file), 'utf8'));
    if (errors.length === 0) continue;
    failed = true;
    console.error(`${file}:\n${JSON.stringify(errors, null, 2)}`);
  }
  process.exit(failed ? 1 : 0);
}
