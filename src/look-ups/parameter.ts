/**
 * The SSM parameter as it is (type, value, version), read without decryption. The preflight refuses a
 * parameter of another type before anything is written (src/preflight/resources.ts); the ssm step
 * decides from it whether to write (src/steps/put-parameter.ts).
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

export interface CurrentParameter {
  readonly type: string;
  readonly value: string;
  readonly version: number;
}

/** The parameter as it is (type, value, version), or undefined when it does not exist. */
export async function currentParameter(ssm: SSMClient, name: string): Promise<CurrentParameter | undefined> {
  try {
    // Without decryption: a SecureString is refused by its type, its value is never needed.
    const { Parameter: p } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
    return { type: p?.Type ?? 'String', value: p?.Value ?? '', version: p?.Version ?? 0 };
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return undefined;
    throw error;
  }
}
