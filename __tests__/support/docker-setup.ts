/**
 * Global setup of the integration tests: a running Docker engine and the stand-in Lambda images.
 * Both scripts are idempotent and take about a second when everything is already there.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function setup(): void {
  if (process.env.LLR_SKIP_DOCKER_SETUP === 'true') return;
  const scripts = path.resolve(import.meta.dirname, '../../scripts');
  for (const script of ['docker-up.sh', 'stand-in-images.sh']) {
    execFileSync('bash', [path.join(scripts, script)], { stdio: 'inherit' });
  }
}
