/**
 * The alarm gate (CodeDeploy's model): CloudWatch alarms that watch the functions. An alarm already in
 * ALARM refuses the roll-out before anything changes; one that enters ALARM during the canary's bake
 * time or after a region counts as a failure, and on-failure decides what happens next.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export interface AlarmState {
  readonly region: string;
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
}

export interface AlarmGate {
  /** Alarms in ALARM now, in any of the regions (empty when no alarms are configured). */
  firing(regions: readonly string[]): Promise<AlarmState[]>;
  readonly configured: boolean;
}

/** DescribeAlarms accepts at most 100 names per request. */
const NAMES_PER_REQUEST = 100;

export function alarmGate(
  names: readonly string[],
  cloudwatch: (region: string) => Promise<CloudWatchClient>,
): AlarmGate {
  return {
    configured: names.length > 0,
    async firing(regions) {
      if (names.length === 0) return [];
      const states = await Promise.all(
        regions.map(async (region) => {
          const { states, missing } = await describeAlarms(await cloudwatch(region), region, names);
          // A name that matches no alarm is a typo or a region without it: a gate that watches nothing must not pass silently.
          if (missing.length > 0) {
            throw new Error(
              `alarms: ${missing.join(', ')} not found in ${region}; check the names (CloudWatch alarms are per region)`,
            );
          }
          return states;
        }),
      );
      return states.flat().filter((alarm) => alarm.state === 'ALARM');
    },
  };
}

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
