/**
 * The pieces of a cancel (src/cancel.ts): the three signals and their timing, the labelled
 * `docker run`, AWS calls abandoned once the in-flight signal aborts, and the report of a cancelled run.
 */
import { ListFunctionsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { abortable } from '../../src/aws/clients.js';
import { Cancellation, CancelledError, newRunId, RUN_LABEL, RunContainers } from '../../src/cancel.js';
import type { Exec } from '../../src/docker.js';
import { newReport, outputsOf, renderSummary } from '../../src/report/index.js';

describe('Cancellation', () => {
  // On fake timers: the drain and the deadline are checked to the millisecond, whatever the machine's load.
  it('stops new work at once, aborts calls in flight after the drain, reports at the deadline', () => {
    vi.useFakeTimers();
    try {
      const cancel = new Cancellation();
      expect(cancel.reason).toBeUndefined();
      expect(() => cancel.throwIfCancelled()).not.toThrow();
      cancel.cancel('SIGINT', 50, 100);
      expect(cancel.reason).toBe('SIGINT');
      expect(() => cancel.throwIfCancelled()).toThrow(CancelledError);
      expect([cancel.signal.aborted, cancel.inFlight.aborted, cancel.deadline.aborted]).toEqual([
        true,
        false,
        false,
      ]);
      vi.advanceTimersByTime(49);
      expect([cancel.inFlight.aborted, cancel.deadline.aborted]).toEqual([false, false]);
      vi.advanceTimersByTime(1);
      expect([cancel.inFlight.aborted, cancel.deadline.aborted]).toEqual([true, false]);
      vi.advanceTimersByTime(49);
      expect(cancel.deadline.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(cancel.deadline.aborted).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a second signal (the runner’s SIGTERM after SIGINT) ends the drain and the deadline at once', () => {
    const cancel = new Cancellation();
    cancel.cancel('SIGINT', 60_000, 60_000);
    cancel.cancel('SIGTERM');
    expect([cancel.inFlight.aborted, cancel.deadline.aborted]).toEqual([true, true]);
    expect(cancel.reason).toBe('SIGINT');
    cancel.dispose();
  });

  it('run ids are unique, from the run id and attempt', () => {
    const a = newRunId({ GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2' });
    expect(a).toMatch(/^123-2-[0-9a-f]{8}$/);
    expect(newRunId({ GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2' })).not.toBe(a);
    expect(newRunId({})).toMatch(/^local-1-[0-9a-f]{8}$/);
  });
});

describe('RunContainers', () => {
  const ok = { exitCode: 0, stdout: '', stderr: '' };
  it('labels and names every docker run, passes every other command as is', async () => {
    const inner = vi.fn<Exec>(async () => ok);
    const containers = new RunContainers('9-1-abcd', inner);
    await containers.exec('docker', ['run', '--rm', 'image', 'true']);
    await containers.exec('docker', ['run', 'image']);
    await containers.exec('docker', ['image', 'inspect', 'image']);
    expect(inner.mock.calls.map((c) => c[1])).toEqual([
      [
        'run',
        '--label',
        `${RUN_LABEL}=9-1-abcd`,
        '--name',
        'lambda-layer-release-9-1-abcd-1',
        '--rm',
        'image',
        'true',
      ],
      ['run', '--label', `${RUN_LABEL}=9-1-abcd`, '--name', 'lambda-layer-release-9-1-abcd-2', 'image'],
      ['image', 'inspect', 'image'],
    ]);
  });

  it('starts no container once cancelled, and removes only those with the run’s label', async () => {
    const inner = vi.fn<Exec>(async (_, args) => (args[0] === 'ps' ? { ...ok, stdout: 'c1\nc2\n' } : ok));
    const cancel = new Cancellation();
    const containers = new RunContainers('9-1-abcd', inner, cancel);
    cancel.cancel('SIGTERM', 10, 10);
    await expect(containers.exec('docker', ['run', 'image'])).rejects.toThrow(CancelledError);
    await containers.removeAll(cancel.deadline);
    expect(inner.mock.calls.map((c) => c[1])).toEqual([
      ['ps', '-aq', '--filter', `label=${RUN_LABEL}=9-1-abcd`],
      ['rm', '-f', 'c1', 'c2'],
    ]);
    cancel.dispose();
  });
});

describe('abortable AWS clients', () => {
  it('a call that gets no answer is abandoned when the in-flight signal aborts', async () => {
    const server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const cancel = new Cancellation();
    const client = abortable(
      new LambdaClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
      }),
      cancel.inFlight,
    );
    try {
      const call = client.send(new ListFunctionsCommand({}));
      // Whether the in-flight signal had aborted when the call gave up (the server never answers, so
      // without the abort the call would wait forever).
      const afterAbort = call.then(
        () => undefined,
        () => cancel.inFlight.aborted,
      );
      cancel.cancel('SIGTERM', 50, 100);
      await expect(call).rejects.toThrow(CancelledError);
      expect(await afterAbort).toBe(true);
      // And no new call is sent.
      await expect(client.send(new ListFunctionsCommand({}))).rejects.toThrow(CancelledError);
    } finally {
      cancel.dispose();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the report of a cancelled run', () => {
  it('says cancelled, where, what is live and where each function is', () => {
    const report = newReport();
    report.layerName = 'deps';
    report.steps.push(
      { step: 'publish', status: 'succeeded', seconds: 1, note: 'published' },
      { step: 'roll-out', status: 'cancelled', seconds: 2, note: 'cancelled (SIGTERM)' },
    );
    report.cancelled = { signal: 'SIGTERM', step: 'roll-out' };
    const arn = 'arn:aws:lambda:us-east-1:123456789012:layer:deps';
    report.publish = {
      layers: [
        {
          region: 'us-east-1',
          layerArn: arn,
          layerVersionArn: `${arn}:2`,
          version: 2,
          published: true,
          planned: false,
          sharedWith: [],
        },
      ],
      failures: [],
    } as unknown as NonNullable<typeof report.publish>;
    const fn = (functionName: string, status: 'updated' | 'in-flight' | 'not-started') => ({
      region: 'us-east-1',
      functionName,
      status,
      fromVersion: 1,
      toVersion: 2,
    });
    report.rollout = {
      functions: [fn('a', 'updated'), fn('b', 'in-flight'), fn('c', 'not-started'), fn('d', 'not-started')],
      scanned: { 'us-east-1': 4 },
      cancelled: 'SIGTERM',
    };
    const summary = renderSummary(report);
    expect(summary).toContain('## ⏹️ Lambda layer `deps`: run cancelled');
    expect(summary).toContain('Cancelled (SIGTERM) during roll-out. us-east-1 serves [`deps:2`]');
    expect(summary).toContain(
      '1 function moved 1 → 2, 1 function in flight (update sent, not confirmed), 2 functions not yet moved.',
    );
    expect(summary).toContain(
      'Re-running with the same inputs is safe: it reuses version 2 and moves the rest.',
    );
    expect(summary).toContain('| ⏹️ roll-out | cancelled (SIGTERM) |');
    expect(summary).toContain('- us-east-1: 1 moved, 1 in flight, 2 not yet moved');
    const outputs = outputsOf(report);
    expect(JSON.parse(outputs['updated-functions']!)).toMatchObject([{ function: 'a' }]);
    expect(JSON.parse(outputs['failed-functions']!)).toMatchObject([{ function: 'b' }]);
  });
});
