/**
 * The local AWS double on its own, for `npm run local-action` (docs/development.md, "Debug locally"):
 * Lambda, SSM, S3, STS and CloudWatch on http://127.0.0.1:4566, LocalStack's port, so one `.env` works
 * with either (LLR_AWS_DOUBLE_PORT picks another). It writes the sample zip that `.env.example`
 * publishes, prints each request as it is answered, and on Ctrl-C what the run left behind.
 *
 *   npm run aws-double
 */
import * as path from 'node:path';
import { startAwsDouble, type AwsDouble } from '../__tests__/support/aws-double.js';
import { REPO, writeSampleZip } from '../__tests__/support/local-action.js';

const port = Number(process.env.LLR_AWS_DOUBLE_PORT || 4566);
const aws = await startAwsDouble({ port }).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(
    `Port ${port} is taken (LocalStack?): stop it, or set LLR_AWS_DOUBLE_PORT and AWS_ENDPOINT_URL.`,
  );
  process.exit(1);
});
const zipFile = await writeSampleZip(REPO);
console.log(`AWS double (Lambda, SSM, S3, STS, CloudWatch) on ${aws.url}, account ${aws.accountId}.`);
console.log(`Sample layer zip: ${path.relative(REPO, zipFile)}`);
console.log(
  'In another terminal: cp .env.example .env && npm run local-action   (Ctrl-C here stops the double)\n',
);

let shown = 0;
const timer = setInterval(() => {
  for (const r of aws.requests.slice(shown)) {
    console.log(`${r.service} ${r.operation} ${r.region} → ${r.status}`);
  }
  shown = aws.requests.length;
}, 200);

process.once('SIGINT', () => void stop(aws));
process.once('SIGTERM', () => void stop(aws));

async function stop(double: AwsDouble): Promise<void> {
  clearInterval(timer);
  for (const r of double.requests.slice(shown))
    console.log(`${r.service} ${r.operation} ${r.region} → ${r.status}`);
  const writes = double.requests.filter((r) => !/^(Get|List)/.test(r.operation) && r.status < 300);
  console.log(`\nStopped after ${double.requests.length} requests, ${writes.length} of them writes.`);
  await double.close();
}
