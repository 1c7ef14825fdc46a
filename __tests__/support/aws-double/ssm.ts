import { wallMs } from './clock.js';
import { AwsError, type Reply } from './http.js';
import type { DoubleState, ParameterModel } from './model.js';

const ssmError = (type: string, message?: string, status = 400) => new AwsError(status, type, message ?? '');

export const ssmThrottle = () => ssmError('ThrottlingException', 'Rate exceeded');
export const ssmInternal = () => ssmError('InternalServerError', 'An internal error occurred.', 500);

const TYPES = new Set(['String', 'StringList', 'SecureString']);
const NAME = /^[a-zA-Z0-9_.\-/]+$/;
const STANDARD_VALUE_LIMIT = 4096;

export interface SsmRequest {
  operation: string;
  region: string;
  body: Record<string, unknown>;
}

/** AWS Systems Manager Parameter Store, JSON 1.1 (`X-Amz-Target: AmazonSSM.<Operation>`). */
export class SsmService {
  constructor(
    private readonly state: DoubleState,
    private readonly accountId: string,
    /** moto's PutParameter answers `{ Version }` only (no Tier). */
    private readonly emulator = false,
  ) {}

  handle(r: SsmRequest): Reply {
    switch (r.operation) {
      case 'PutParameter':
        return this.putParameter(r);
      case 'GetParameter':
        return this.getParameter(r);
      case 'GetParameters':
        return this.getParameters(r);
      case 'DeleteParameter':
        return this.deleteParameter(r);
      default:
        throw ssmError('UnknownOperationException', `Unknown operation ${r.operation}`);
    }
  }

  private arn(region: string, name: string): string {
    return `arn:aws:ssm:${region}:${this.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  }

  private validateName(name: unknown): string {
    if (typeof name !== 'string' || name.length === 0)
      throw ssmError(
        'ValidationException',
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      );
    if (name.length > 2048)
      throw ssmError(
        'ValidationException',
        `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048`,
      );
    if (!NAME.test(name) || (name.includes('/') && !name.startsWith('/')) || /^\/?(aws|ssm)/i.test(name))
      throw ssmError(
        'ValidationException',
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
      );
    return name;
  }

  private putParameter(r: SsmRequest): Reply {
    const b = r.body;
    const name = this.validateName(b['Name']);
    if (typeof b['Value'] !== 'string')
      throw ssmError(
        'ValidationException',
        "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null",
      );
    const value = b['Value'];
    const overwrite = b['Overwrite'] === true;
    const tags = Array.isArray(b['Tags']) ? (b['Tags'] as { Key: string; Value: string }[]) : undefined;
    if (tags && overwrite)
      throw ssmError(
        'ValidationException',
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    const type = b['Type'];
    if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type)))
      throw ssmError(
        'ValidationException',
        `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
      );
    if (value.length > STANDARD_VALUE_LIMIT)
      throw ssmError(
        'ValidationException',
        'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameters tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/advanced-parameters.html',
      );
    const parameters = this.state.region(r.region).parameters;
    const existing = parameters.get(name);
    const now = new Date(wallMs());
    if (existing) {
      if (!overwrite)
        throw ssmError(
          'ParameterAlreadyExists',
          'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
        );
      existing.Version += 1;
      existing.Value = value;
      existing.LastModifiedDate = now;
      if (typeof type === 'string') existing.Type = type;
      if (typeof b['Description'] === 'string') existing.Description = b['Description'];
      existing.history.push({ Version: existing.Version, Value: value, LastModifiedDate: now });
      return { status: 200, body: this.written(existing.Version, existing.Tier) };
    }
    if (type === undefined)
      throw ssmError('ValidationException', 'A parameter type is required when you create a parameter.');
    const parameter: ParameterModel = {
      Name: name,
      Type: String(type),
      Value: value,
      Version: 1,
      LastModifiedDate: now,
      ARN: this.arn(r.region, name),
      DataType: typeof b['DataType'] === 'string' ? b['DataType'] : 'text',
      ...(typeof b['Description'] === 'string' ? { Description: b['Description'] } : {}),
      Tier: 'Standard',
      Tags: tags ?? [],
      history: [{ Version: 1, Value: value, LastModifiedDate: now }],
    };
    parameters.set(name, parameter);
    return { status: 200, body: this.written(1, 'Standard') };
  }

  private view(
    p: ParameterModel,
    selector: string | undefined,
    withDecryption: boolean,
  ): Record<string, unknown> {
    const version = selector === undefined ? p : p.history.find((h) => String(h.Version) === selector);
    if (!version)
      throw ssmError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${p.Name}. Verify the version and try again.`,
      );
    const value =
      p.Type === 'SecureString' && !withDecryption
        ? Buffer.from(`kms:${version.Value}`).toString('base64')
        : version.Value;
    return {
      Name: p.Name,
      Type: p.Type,
      Value: value,
      Version: version.Version,
      ...(selector !== undefined ? { Selector: `:${selector}` } : {}),
      LastModifiedDate: version.LastModifiedDate.getTime() / 1000,
      ARN: p.ARN,
      DataType: p.DataType,
    };
  }

  private find(
    region: string,
    raw: unknown,
  ): { parameter?: ParameterModel; selector?: string; name: string } {
    if (typeof raw !== 'string')
      throw ssmError(
        'ValidationException',
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      );
    const colon = raw.lastIndexOf(':');
    const name = colon > 0 ? raw.slice(0, colon) : raw;
    const selector = colon > 0 ? raw.slice(colon + 1) : undefined;
    const parameter = this.state.region(region).parameters.get(name);
    return { name, ...(parameter ? { parameter } : {}), ...(selector !== undefined ? { selector } : {}) };
  }

  private written(version: number, tier: string): Record<string, unknown> {
    return this.emulator ? { Version: version } : { Version: version, Tier: tier };
  }

  private getParameter(r: SsmRequest): Reply {
    const { parameter, selector } = this.find(r.region, r.body['Name']);
    // SSM sends ParameterNotFound without a message.
    if (!parameter) throw ssmError('ParameterNotFound');
    return {
      status: 200,
      body: { Parameter: this.view(parameter, selector, r.body['WithDecryption'] === true) },
    };
  }

  private getParameters(r: SsmRequest): Reply {
    const names = Array.isArray(r.body['Names']) ? (r.body['Names'] as unknown[]) : [];
    const found: Record<string, unknown>[] = [];
    const invalid: string[] = [];
    for (const raw of names) {
      const { parameter, selector } = this.find(r.region, raw);
      if (parameter) found.push(this.view(parameter, selector, r.body['WithDecryption'] === true));
      else invalid.push(String(raw));
    }
    return { status: 200, body: { Parameters: found, InvalidParameters: invalid } };
  }

  private deleteParameter(r: SsmRequest): Reply {
    const { name, parameter } = this.find(r.region, r.body['Name']);
    if (!parameter) throw ssmError('ParameterNotFound');
    this.state.region(r.region).parameters.delete(name);
    return { status: 200, body: {} };
  }
}
