/**
 * The local-action sample (docs/development.md, "Debug locally"): `.env.example` read as GitHub's
 * `@github/local-action` reads it (dotenv), and the small layer zip its zip-file input names, which
 * `npm run aws-double` writes and the tests write into their own workspaces.
 */
import { parse } from 'dotenv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDeterministicZip } from '../../src/layer/zip.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ENV_EXAMPLE = path.join(REPO, '.env.example');

/** The variables of `.env.example`, as local-action loads them. */
export function readEnvExample(): Record<string, string> {
  return parse(fs.readFileSync(ENV_EXAMPLE));
}

/** The files of the sample layer: one Python module under the runtime's python/ folder. */
export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  'python/local_action_sample.py': 'GREETING = "Hello from a layer published with local-action"\n',
};

/** Writes the sample zip where `.env.example`'s INPUT_ZIP-FILE points, inside `workspace`; returns its path. */
export async function writeSampleZip(workspace: string): Promise<string> {
  const relative = readEnvExample()['INPUT_ZIP-FILE'];
  if (!relative) throw new Error('.env.example gives no INPUT_ZIP-FILE');
  const zipFile = path.resolve(workspace, relative);
  fs.mkdirSync(path.dirname(zipFile), { recursive: true });
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-sample-'));
  try {
    for (const [file, content] of Object.entries(SAMPLE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), content);
    }
    await writeDeterministicZip(tree, zipFile);
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
  return zipFile;
}
