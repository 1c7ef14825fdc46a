/**
 * CloudWatch's DescribeAlarms, as the SDK speaks it (awsJson1_0, `X-Amz-Target:
 * GraniteServiceVersion20100801.DescribeAlarms`): alarms per region with a state a test can flip at
 * any moment, e.g. in the middle of a canary's bake time.
 */
import { AwsError, type Reply } from './http.js';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

interface AlarmModel {
  name: string;
  state: AlarmStateValue;
  reason: string;
  composite: boolean;
}

export class CloudWatchService {
  private readonly alarms = new Map<string, Map<string, AlarmModel>>();

  constructor(private readonly accountId: string) {}

  /** Creates the alarm or sets its state. */
  setAlarm(
    region: string,
    name: string,
    state: AlarmStateValue,
    options: { reason?: string; composite?: boolean } = {},
  ): void {
    if (!this.alarms.has(region)) this.alarms.set(region, new Map());
    this.alarms.get(region)!.set(name, {
      name,
      state,
      reason: options.reason ?? `Threshold Crossed: set to ${state} by the test`,
      composite: options.composite ?? false,
    });
  }

  handle(request: { operation: string; region: string; body: Record<string, unknown> }): Reply {
    if (request.operation !== 'DescribeAlarms') {
      throw new AwsError(
        400,
        'UnknownOperationException',
        `The aws double does not serve CloudWatch ${request.operation}`,
      );
    }
    const names = request.body['AlarmNames'] as string[] | undefined;
    if (names && names.length > 100) {
      throw new AwsError(
        400,
        'InvalidParameterValue',
        'The collection AlarmNames must not have a size greater than 100.',
      );
    }
    const types = (request.body['AlarmTypes'] as string[] | undefined) ?? ['MetricAlarm'];
    const all = [...(this.alarms.get(request.region)?.values() ?? [])].filter(
      (alarm) => !names || names.includes(alarm.name),
    );
    const render = (alarm: AlarmModel): Record<string, unknown> => ({
      AlarmName: alarm.name,
      AlarmArn: `arn:aws:cloudwatch:${request.region}:${this.accountId}:alarm:${alarm.name}`,
      StateValue: alarm.state,
      StateReason: alarm.reason,
      StateUpdatedTimestamp: Date.now() / 1000,
    });
    return {
      status: 200,
      body: {
        MetricAlarms: types.includes('MetricAlarm') ? all.filter((a) => !a.composite).map(render) : [],
        CompositeAlarms: types.includes('CompositeAlarm') ? all.filter((a) => a.composite).map(render) : [],
      },
    };
  }
}
