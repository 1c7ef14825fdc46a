/**
 * The ssm step with the real SSM client configuration (awsClients(), AWS_ENDPOINT_URL_SSM) over real HTTP
 * against the AWS double, answering as AWS and as LocalStack/moto do, access denied included (the
 * double's `access-denied` fault).
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsClients } from '../../src/aws/clients.js';
import type { PublishedLayer } from '../../src/steps/publish.js';
import { putParameter } from '../../src/steps/put-parameter.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';

let aws: AwsDouble;

afterEach(() => vi.unstubAllEnvs());

function layer(region: string, version: number, name = 'ssm-layer'): PublishedLayer {
  const layerArn = `arn:aws:lambda:${region}:${aws.accountId}:layer:${name}`;
  return {
    region,
    layerArn,
    layerVersionArn: `${layerArn}:${version}`,
    version,
    published: true,
    planned: false,
    sharedWith: [],
  };
}

/** A fresh awsClients() each time, as a new run of the action would make. */
const write = (name: string, layers: PublishedLayer[], dryRun = false) =>
  putParameter({ ssmParameter: name, dryRun }, layers, awsClients());

const ssmOperations = () => aws.requests.filter((r) => r.service === 'ssm').map((r) => r.operation);

// Against an endpoint answering as AWS does and one answering as LocalStack/moto do (PutParameter without Tier).
describe.each(['aws', 'emulator'] as const)('against %s', (flavour) => {
  beforeAll(async () => {
    aws = await startAwsDouble({ flavour });
  });
  afterAll(async () => {
    await aws.close();
  });
  beforeEach(() => {
    aws.requests.length = 0;
    aws.faults.clear();
    for (const [name, value] of Object.entries(aws.env())) vi.stubEnv(name, value);
  });

  describe('put-parameter', () => {
    it('creates a String parameter with the layer version ARN', async () => {
      const name = '/layers/create/arn';
      const result = await write(name, [layer('us-east-1', 1)]);
      expect(result.failures).toEqual([]);
      expect(result.writes).toEqual([
        {
          region: 'us-east-1',
          name,
          value: layer('us-east-1', 1).layerVersionArn,
          version: 1,
          changed: true,
          planned: false,
        },
      ]);
      expect(aws.state.parameter('us-east-1', name)).toMatchObject({
        Type: 'String',
        DataType: 'text',
        Value: layer('us-east-1', 1).layerVersionArn,
        Version: 1,
      });
      expect(ssmOperations()).toEqual(['GetParameter', 'PutParameter']);
      expect(aws.requests[1]!.params).toMatchObject({ Overwrite: true, Type: 'String', DataType: 'text' });
    });

    it('leaves an unchanged parameter alone on a re-run: no PutParameter, no new version', async () => {
      const name = '/layers/rerun/arn';
      await write(name, [layer('us-east-1', 3)]);
      aws.requests.length = 0;
      const again = await write(name, [layer('us-east-1', 3)]);
      expect(again.writes).toEqual([expect.objectContaining({ version: 1, changed: false, planned: false })]);
      expect(ssmOperations()).toEqual(['GetParameter']);
      expect(aws.state.parameter('us-east-1', name)!.history).toHaveLength(1);
    });

    it('writes a new parameter version when the layer version changes', async () => {
      const name = 'layer-arn-without-path';
      await write(name, [layer('us-east-1', 1)]);
      const next = await write(name, [layer('us-east-1', 2)]);
      expect(next.writes).toEqual([expect.objectContaining({ version: 2, changed: true })]);
      const stored = aws.state.parameter('us-east-1', name)!;
      expect(stored.Value).toBe(layer('us-east-1', 2).layerVersionArn);
      expect(stored.history.map((h) => h.Value)).toEqual([
        layer('us-east-1', 1).layerVersionArn,
        layer('us-east-1', 2).layerVersionArn,
      ]);
    });

    it('writes each region its own ARN', async () => {
      const name = '/layers/two-regions/arn';
      const result = await write(name, [layer('us-east-1', 4), layer('eu-west-1', 2)]);
      expect(result.failures).toEqual([]);
      expect(result.writes.map((w) => [w.region, w.version, w.changed])).toEqual([
        ['us-east-1', 1, true],
        ['eu-west-1', 1, true],
      ]);
      expect(aws.state.parameter('us-east-1', name)!.Value).toBe(layer('us-east-1', 4).layerVersionArn);
      expect(aws.state.parameter('eu-west-1', name)!.Value).toBe(layer('eu-west-1', 2).layerVersionArn);
      // The region comes from the request's signature: each region's client was used for its own write.
      expect(new Set(aws.requests.map((r) => r.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    });

    it('refuses to overwrite a SecureString or StringList, and still writes the other regions', async () => {
      const name = '/layers/secret/arn';
      const ssm = new SSMClient(aws.clientConfig('us-east-1'));
      await ssm.send(new PutParameterCommand({ Name: name, Value: 'do-not-touch', Type: 'SecureString' }));
      const list = '/layers/list/arn';
      await ssm.send(new PutParameterCommand({ Name: list, Value: 'a,b', Type: 'StringList' }));
      aws.requests.length = 0;

      const result = await write(name, [layer('us-east-1', 1), layer('eu-west-1', 1)]);
      expect(result.writes.map((w) => w.region)).toEqual(['eu-west-1']);
      expect(result.failures).toEqual([
        {
          region: 'us-east-1',
          error: expect.stringMatching(
            /^SSM parameter \/layers\/secret\/arn in us-east-1 is a SecureString; use a String parameter/,
          ),
        },
      ]);
      expect(aws.state.parameter('us-east-1', name)).toMatchObject({ Value: 'do-not-touch', Version: 1 });
      expect(aws.requests.filter((r) => r.operation === 'PutParameter').map((r) => r.region)).toEqual([
        'eu-west-1',
      ]);

      const refused = await write(list, [layer('us-east-1', 1)]);
      expect(refused.failures[0]!.error).toMatch(/is a StringList; use a String parameter/);
      expect(aws.state.parameter('us-east-1', list)!.Value).toBe('a,b');
    });

    it('dry-run reads and writes nothing', async () => {
      const name = '/layers/dry/arn';
      const created = await write(name, [layer('us-east-1', 1)], true);
      expect(created.writes).toEqual([expect.objectContaining({ version: 1, changed: true, planned: true })]);
      expect(aws.state.parameter('us-east-1', name)).toBeUndefined();

      await write(name, [layer('us-east-1', 1)]);
      aws.requests.length = 0;
      const updated = await write(name, [layer('us-east-1', 2)], true);
      expect(updated.writes).toEqual([expect.objectContaining({ version: 2, changed: true, planned: true })]);
      const unchanged = await write(name, [layer('us-east-1', 1)], true);
      expect(unchanged.writes).toEqual([
        expect.objectContaining({ version: 1, changed: false, planned: true }),
      ]);
      expect(ssmOperations()).toEqual(['GetParameter', 'GetParameter']);
      expect(aws.state.parameter('us-east-1', name)!.Version).toBe(1);
    });

    it('explains a name SSM refuses, naming the parameter and region', async () => {
      const result = await write('awsy/reserved', [layer('us-east-1', 1)]);
      expect(result.writes).toEqual([]);
      expect(result.failures[0]!.error).toMatch(
        /^SSM parameter awsy\/reserved in us-east-1: SSM refused the name or value; use letters/,
      );
    });

    it.each(['GetParameter', 'PutParameter'])(
      'names the permissions and the parameter ARN the role needs when %s is denied',
      async (operation) => {
        aws.faults.add({ kind: 'access-denied', service: 'ssm', operation });
        const name = `/layers/denied-${operation}/arn`;
        const result = await write(name, [layer('us-east-1', 1)]);
        expect(result.writes).toEqual([]);
        expect(result.failures).toEqual([
          {
            region: 'us-east-1',
            error: expect.stringMatching(
              new RegExp(
                `^SSM parameter ${name} in us-east-1: access denied; the role needs ssm:GetParameter and ` +
                  `ssm:PutParameter on arn:aws:ssm:us-east-1:${aws.accountId}:parameter${name} ` +
                  `\\(User: .* is not authorized to perform: ssm:${operation} .*\\)$`,
              ),
            ) as string,
          },
        ]);
        expect(aws.requests.filter((r) => r.status === 403).map((r) => r.operation)).toEqual([operation]);
        expect(ssmOperations().filter((op) => op === 'PutParameter')).toHaveLength(
          operation === 'PutParameter' ? 1 : 0,
        );
        expect(aws.state.parameter('us-east-1', name)).toBeUndefined();
      },
    );

    it('rides out a throttled region with the client retries', async () => {
      aws.faults.add({ kind: 'throttle', service: 'ssm', region: 'eu-west-1', times: 1 });
      const result = await write('/layers/throttled/arn', [layer('us-east-1', 1), layer('eu-west-1', 1)]);
      expect(result.failures).toEqual([]);
      expect(result.writes.map((w) => w.region)).toEqual(['us-east-1', 'eu-west-1']);
      expect(aws.requests.filter((r) => r.region === 'eu-west-1' && r.fault === 'throttle')).toHaveLength(1);
    });
  });
});
