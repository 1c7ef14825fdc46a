/**
 * CloudWatch alarms as they are now: the state of each named alarm in a region, and the names that
 * match no alarm there. Read by the preflight (src/preflight/resources.ts) and by the roll-out's alarm
 * gate (src/steps/alarms.ts), which decide what a missing or firing alarm means.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export interface AlarmState {
  readonly region: string;
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
}

/** DescribeAlarms accepts at most 100 names per request. */
const NAMES_PER_REQUEST = 100;

/** The state of each named alarm in `region` (one request per 100 names), and the names not found. */
export async function describeAlarms(
  client: CloudWatchClient,
  region: string,
  names: readonly string[],
): Promise<{ states: AlarmState[]; missing: string[] }> {
  const states: AlarmState[] = [];
  const missing: string[] = [];
  for (let start = 0; start < names.length; start += NAMES_PER_REQUEST) {
    const AlarmNames = names.slice(start, start + NAMES_PER_REQUEST);
    let NextToken: string | undefined;
    const seen = new Set<string>();
    // CloudWatch's client is parsed only by a run with `alarms` (a chunk of its own in dist/).
    const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
    do {
      const page = await client.send(
        new DescribeAlarmsCommand({ AlarmNames, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken }),
      );
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        seen.add(alarm.AlarmName!);
        states.push({
          region,
          name: alarm.AlarmName!,
          state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
          ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
        });
      }
      NextToken = page.NextToken || undefined;
    } while (NextToken);
    missing.push(...AlarmNames.filter((name) => !seen.has(name)));
  }
  return { states, missing };
}
