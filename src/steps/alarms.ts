/**
 * The alarm gate (CodeDeploy's model): CloudWatch alarms that watch the functions. An alarm already in
 * ALARM refuses the roll-out before anything changes; one that enters ALARM during the canary's bake
 * time or after a region counts as a failure, and on-failure decides what happens next.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describeAlarms, type AlarmState } from '../look-ups/alarms.js';

export interface AlarmGate {
  /** Alarms in ALARM now, in any of the regions (empty when no alarms are configured). */
  firing(regions: readonly string[]): Promise<AlarmState[]>;
  readonly configured: boolean;
}

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
