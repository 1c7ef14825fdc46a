/**
 * The action's post step (action.yml runs.post, always): removes every container this run started
 * that is still there, and the run's temporary tree — also after the main step was killed (SIGKILL),
 * from the state the main step saved first thing (src/main.ts). Only what carries this run's id is
 * touched: the Docker engine and RUNNER_TEMP may be shared with other steps and jobs. Then it saves
 * the download cache, when the build left one to save (src/cache/store.ts): after the job's steps,
 * never on the release's way.
 */
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pendingSave, saveDownloadCache } from './cache/store.js';
import { removeLabelled, STATE } from './cancel.js';

export async function post(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const runId = core.getState(STATE.runId);
  if (runId) {
    try {
      const removed = await removeLabelled(getExecOutput, runId);
      if (removed.length > 0) core.info(`Removed ${removed.length} container(s) of this run left running.`);
    } catch (error) {
      core.warning(`Could not remove this run's containers: ${(error as Error).message}`);
    }
  }
  const tree = core.getState(STATE.tempTree);
  const temp = env['RUNNER_TEMP'] ? path.resolve(env['RUNNER_TEMP']) : undefined;
  // Only a folder strictly inside RUNNER_TEMP: never what a wrong state would point at.
  if (tree && temp && path.resolve(tree).startsWith(temp + path.sep)) {
    await fs.rm(path.resolve(tree), { recursive: true, force: true });
  }
  const pending = pendingSave();
  if (pending) await saveDownloadCache(pending);
}

await post();
