import { randomUUID } from 'node:crypto';
import type { BlobStore, StoredBlob } from './blobs.js';
import { lambdaDate } from './clock.js';
import type { Reply } from './http.js';
import {
  accessDenied,
  ARCHITECTURES,
  compact,
  conflict,
  Constraints,
  decodeMarker,
  deleted,
  encodeMarker,
  invalidParameter,
  LAMBDA_LIMITS,
  lambdaError,
  type LambdaOptions,
  type LambdaRequest,
  LAYER_NAME_PATTERN,
  LAYER_NOT_FOUND,
  LAYER_VERSION_ARN_PATTERN,
  maxItems,
  motoDate,
  notFound,
  ORG_ID_PATTERN,
  preconditionFailed,
  PRINCIPAL_PATTERN,
  RUNTIMES,
  STATEMENT_ID_PATTERN,
  str,
  strList,
} from './lambda-rules.js';
import {
  type DoubleState,
  type LayerModel,
  type LayerPolicyStatement,
  type LayerVersionModel,
  layerArn,
} from './model.js';
import { unzippedSize } from './zip.js';

export interface SeedLayerVersionOptions {
  region: string;
  /** Layer name; a layer in another account can be seeded with `accountId`. */
  name: string;
  accountId?: string;
  content?: Buffer;
  description?: string;
  licenseInfo?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  /** Defaults to the zip's entry sizes, or the content size when it is not a zip. */
  unzippedSize?: number;
  /** Permission statements to start with (e.g. `{ principal: '*' }` to share publicly). */
  permissions?: { statementId?: string; principal: string; organizationId?: string }[];
}

/** Lambda layers: versions, their content and limits, listing, and their permission policies. */
export class LayerStore {
  constructor(
    private readonly state: DoubleState,
    private readonly blobs: BlobStore,
    private readonly options: LambdaOptions,
  ) {}

  private layerRef(
    region: string,
    raw: string,
  ): { arn: string; name: string; accountId: string; region: string } {
    new Constraints()
      .minLength(raw, 'layerName', 1)
      .maxLength(raw, 'layerName', LAMBDA_LIMITS.layerNameLength)
      .pattern(raw, 'layerName', LAYER_NAME_PATTERN)
      .check();
    if (raw.startsWith('arn:')) {
      const parts = raw.split(':');
      const arnRegion = parts[3] ?? '';
      const accountId = parts[4] ?? '';
      const name = parts[6] ?? '';
      return { arn: layerArn(arnRegion, accountId, name), name, accountId, region: arnRegion };
    }
    return {
      arn: layerArn(region, this.options.accountId, raw),
      name: raw,
      accountId: this.options.accountId,
      region,
    };
  }

  private layerVersion(
    region: string,
    layerName: string,
    versionNumber: string,
  ): { layer: LayerModel; version: LayerVersionModel } {
    const ref = this.layerRef(region, layerName);
    const layer = this.state.region(region).layers.get(ref.arn);
    const version = layer?.versions.get(Number(versionNumber));
    if (!layer || !version) throw notFound(LAYER_NOT_FOUND);
    if (ref.accountId !== this.options.accountId && !this.mayUse(version))
      throw accessDenied(
        `User: arn:aws:iam::${this.options.accountId}:user/double is not authorized to perform: lambda:GetLayerVersion on resource: ${version.LayerVersionArn} because no resource-based policy allows the lambda:GetLayerVersion action`,
      );
    return { layer, version };
  }

  /** Whether the double's account may use a layer version of another account. */
  mayUse(version: LayerVersionModel): boolean {
    const me = this.options.accountId;
    return version.policy.statements.some((s) => {
      const principal = s.Principal === '*' ? '*' : s.Principal.AWS;
      const principalOk = principal === '*' || principal === me || principal === `arn:aws:iam::${me}:root`;
      const org = s.Condition?.StringEquals['aws:PrincipalOrgID'];
      return principalOk && (org === undefined || org === this.options.organizationId);
    });
  }

  private layerVersionView(v: LayerVersionModel): Record<string, unknown> {
    return this.emulated({
      Content: {
        Location: `${this.options.url}/__double/layer?arn=${encodeURIComponent(v.LayerVersionArn)}`,
        CodeSha256: v.CodeSha256,
        CodeSize: v.CodeSize,
      },
      LayerArn: v.LayerArn,
      LayerVersionArn: v.LayerVersionArn,
      Description: v.Description,
      CreatedDate: v.CreatedDate,
      Version: v.Version,
      CompatibleRuntimes: v.CompatibleRuntimes,
      LicenseInfo: v.LicenseInfo,
      CompatibleArchitectures: v.CompatibleArchitectures,
    });
  }

  private layerVersionListItem(v: LayerVersionModel): Record<string, unknown> {
    // LocalStack and moto list every version in its full GetLayerVersion form (Content, LayerArn).
    if (this.options.emulator) return this.layerVersionView(v);
    return compact({
      LayerVersionArn: v.LayerVersionArn,
      Version: v.Version,
      Description: v.Description,
      CreatedDate: v.CreatedDate,
      CompatibleRuntimes: v.CompatibleRuntimes,
      LicenseInfo: v.LicenseInfo,
      CompatibleArchitectures: v.CompatibleArchitectures,
    });
  }

  /**
   * A layer version as Lambda sends it (optional fields absent when unset) or, in emulator mode, as moto
   * does: Description and LicenseInfo `""`, CompatibleRuntimes and CompatibleArchitectures `[]`, and
   * CreatedDate without `T` or zone (moto `LayerVersion.get_layer_version`).
   */
  private emulated(view: Record<string, unknown>): Record<string, unknown> {
    if (!this.options.emulator) return compact(view);
    return {
      ...view,
      Description: view['Description'] ?? '',
      LicenseInfo: view['LicenseInfo'] ?? '',
      CompatibleRuntimes: view['CompatibleRuntimes'] ?? [],
      CompatibleArchitectures: view['CompatibleArchitectures'] ?? [],
      CreatedDate: motoDate(String(view['CreatedDate'])),
    };
  }

  /** Lambda pages at most `max` (MaxItems); LocalStack/moto ignore MaxItems and send everything at once. */
  private pageSize(query: URLSearchParams, max: number): number {
    // Validated all the same: a MaxItems Lambda refuses is refused in both modes.
    const size = maxItems(query, max, max);
    return this.options.emulator ? Infinity : size;
  }

  ensureCodeStorage(region: string, adding: number): void {
    if (this.state.region(region).codeStorageBytes() + adding > this.options.codeStorageLimitBytes)
      throw lambdaError(400, 'CodeStorageExceededException', 'Code storage limit exceeded.');
  }

  private addLayerVersion(
    region: string,
    ref: { arn: string; name: string; accountId: string },
    stored: StoredBlob,
    unzipped: number,
    fields: Pick<
      LayerVersionModel,
      'Description' | 'LicenseInfo' | 'CompatibleRuntimes' | 'CompatibleArchitectures'
    >,
  ): LayerVersionModel {
    const layers = this.state.region(region).layers;
    let layer = layers.get(ref.arn);
    if (!layer) {
      layer = {
        accountId: ref.accountId,
        region,
        name: ref.name,
        arn: ref.arn,
        latestVersionNumber: 0,
        versions: new Map(),
      };
      layers.set(ref.arn, layer);
    }
    layer.latestVersionNumber += 1;
    const version: LayerVersionModel = {
      LayerArn: layer.arn,
      LayerVersionArn: `${layer.arn}:${layer.latestVersionNumber}`,
      Version: layer.latestVersionNumber,
      ...fields,
      CreatedDate: lambdaDate(),
      CodeSha256: stored.sha256Base64,
      CodeSize: stored.blob.size,
      UnzippedSize: unzipped,
      content: stored.blob,
      policy: { revisionId: randomUUID(), statements: [] },
    };
    layer.versions.set(version.Version, version);
    return version;
  }

  /** Reads layer or function code from the S3 double the way Lambda does (same region, or an error). */
  private s3Code(region: string, bucket: string | undefined, key: string | undefined): StoredBlob {
    const b = bucket === undefined ? undefined : this.state.buckets.get(bucket);
    const getObjectError = (code: string, message: string) =>
      invalidParameter(
        `Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`,
      );
    if (!b) throw getObjectError('NoSuchBucket', 'The specified bucket does not exist');
    if (b.region !== region)
      throw getObjectError(
        'PermanentRedirect',
        `The bucket is in this region: ${b.region}. Please use this region to retry the request`,
      );
    const object = key === undefined ? undefined : b.objects.get(key);
    if (!object) throw getObjectError('NoSuchKey', 'The specified key does not exist.');
    return { blob: object.blob, ...object.digests };
  }

  async codeFrom(
    region: string,
    content: Record<string, unknown> | undefined,
    what: 'layer' | 'function',
  ): Promise<{ stored: StoredBlob; unzipped: number }> {
    const zipFile = str(content?.['ZipFile']);
    const s3Bucket = str(content?.['S3Bucket']);
    const s3Key = str(content?.['S3Key']);
    let stored: StoredBlob;
    if (zipFile !== undefined && s3Bucket === undefined && s3Key === undefined) {
      stored = this.blobs.fromBuffer(Buffer.from(zipFile, 'base64'));
    } else if (zipFile === undefined && (s3Bucket !== undefined || s3Key !== undefined)) {
      stored = this.s3Code(region, s3Bucket, s3Key);
    } else {
      throw invalidParameter(`Please provide a source for ${what} code.`);
    }
    const unzipped = await unzippedSize(stored.blob);
    if (unzipped === undefined)
      throw invalidParameter(
        'Could not unzip uploaded file. Please check your file, then try to upload again.',
      );
    if (unzipped >= LAMBDA_LIMITS.unzippedBytes)
      throw invalidParameter(`Unzipped size must be smaller than ${LAMBDA_LIMITS.unzippedBytes} bytes`);
    return { stored, unzipped };
  }

  async seedLayerVersion(o: SeedLayerVersionOptions): Promise<LayerVersionModel> {
    const accountId = o.accountId ?? this.options.accountId;
    const content = o.content ?? Buffer.from(`layer ${o.name}`);
    const stored = this.blobs.fromBuffer(content);
    const unzipped = o.unzippedSize ?? (await unzippedSize(stored.blob)) ?? content.length;
    const version = this.addLayerVersion(
      o.region,
      { arn: layerArn(o.region, accountId, o.name), name: o.name, accountId },
      stored,
      unzipped,
      {
        ...(o.description !== undefined ? { Description: o.description } : {}),
        ...(o.licenseInfo !== undefined ? { LicenseInfo: o.licenseInfo } : {}),
        ...(o.compatibleRuntimes ? { CompatibleRuntimes: o.compatibleRuntimes } : {}),
        ...(o.compatibleArchitectures ? { CompatibleArchitectures: o.compatibleArchitectures } : {}),
      },
    );
    for (const [i, p] of (o.permissions ?? []).entries())
      version.policy.statements.push(
        this.statement(version, p.statementId ?? `seed-${i + 1}`, p.principal, p.organizationId),
      );
    return version;
  }

  async PublishLayerVersion(r: LambdaRequest): Promise<Reply> {
    const ref = this.layerRef(r.region, r.params['LayerName'] ?? '');
    const b = r.body;
    new Constraints()
      .required(b['Content'], 'content')
      .maxLength(b['Description'], 'description', LAMBDA_LIMITS.descriptionLength)
      .maxLength(b['LicenseInfo'], 'licenseInfo', LAMBDA_LIMITS.licenseInfoLength)
      .maxLength(b['CompatibleRuntimes'], 'compatibleRuntimes', LAMBDA_LIMITS.compatibleRuntimes)
      .members(b['CompatibleRuntimes'], 'compatibleRuntimes', RUNTIMES)
      .maxLength(
        b['CompatibleArchitectures'],
        'compatibleArchitectures',
        LAMBDA_LIMITS.compatibleArchitectures,
      )
      .members(b['CompatibleArchitectures'], 'compatibleArchitectures', ARCHITECTURES)
      .check();
    if (ref.accountId !== this.options.accountId || ref.region !== r.region)
      throw accessDenied(
        `User: arn:aws:iam::${this.options.accountId}:user/double is not authorized to perform: lambda:PublishLayerVersion on resource: ${ref.arn}`,
      );
    const { stored, unzipped } = await this.codeFrom(
      r.region,
      b['Content'] as Record<string, unknown>,
      'layer',
    );
    this.ensureCodeStorage(r.region, stored.blob.size);
    const description = str(b['Description']);
    const license = str(b['LicenseInfo']);
    const runtimes = strList(b['CompatibleRuntimes']);
    const architectures = strList(b['CompatibleArchitectures']);
    const version = this.addLayerVersion(r.region, ref, stored, unzipped, {
      ...(description !== undefined ? { Description: description } : {}),
      ...(license !== undefined ? { LicenseInfo: license } : {}),
      ...(runtimes?.length ? { CompatibleRuntimes: runtimes } : {}),
      ...(architectures?.length ? { CompatibleArchitectures: architectures } : {}),
    });
    return { status: 201, body: this.layerVersionView(version) };
  }

  GetLayerVersion(r: LambdaRequest): Reply {
    const { version } = this.layerVersion(
      r.region,
      r.params['LayerName'] ?? '',
      r.params['VersionNumber'] ?? '',
    );
    return { status: 200, body: this.layerVersionView(version) };
  }

  GetLayerVersionByArn(r: LambdaRequest): Reply {
    const arn = r.query.get('Arn');
    new Constraints().required(arn, 'arn').pattern(arn, 'arn', LAYER_VERSION_ARN_PATTERN).check();
    const parts = (arn ?? '').split(':');
    const base = parts.slice(0, 7).join(':');
    const { version } = this.layerVersion(r.region, base, parts[7] ?? '');
    return { status: 200, body: this.layerVersionView(version) };
  }

  ListLayerVersions(r: LambdaRequest): Reply {
    const ref = this.layerRef(r.region, r.params['LayerName'] ?? '');
    const runtime = r.query.get('CompatibleRuntime');
    const architecture = r.query.get('CompatibleArchitecture');
    new Constraints()
      .members(runtime === null ? undefined : [runtime], 'compatibleRuntime', RUNTIMES)
      .members(architecture === null ? undefined : [architecture], 'compatibleArchitecture', ARCHITECTURES)
      .check();
    const pageSize = this.pageSize(r.query, LAMBDA_LIMITS.listLayersPage);
    const after = decodeMarker(r.query.get('Marker'));
    const layer = this.state.region(r.region).layers.get(ref.arn);
    const all = [...(layer?.versions.values() ?? [])]
      .filter((v) => matchesFilters(v, runtime, architecture))
      // Lambda lists the newest first; moto in the order the versions were made (oldest first).
      .sort((a, b) => (this.options.emulator ? a.Version - b.Version : b.Version - a.Version))
      .filter((v) => after === undefined || v.Version < Number(after));
    const page = all.slice(0, pageSize);
    const last = page.at(-1);
    return {
      status: 200,
      body: compact({
        LayerVersions: page.map((v) => this.layerVersionListItem(v)),
        NextMarker: all.length > pageSize && last ? encodeMarker(last.Version) : undefined,
      }),
    };
  }

  ListLayers(r: LambdaRequest): Reply {
    const runtime = r.query.get('CompatibleRuntime');
    const architecture = r.query.get('CompatibleArchitecture');
    new Constraints()
      .members(runtime === null ? undefined : [runtime], 'compatibleRuntime', RUNTIMES)
      .members(architecture === null ? undefined : [architecture], 'compatibleArchitecture', ARCHITECTURES)
      .check();
    const pageSize = this.pageSize(r.query, LAMBDA_LIMITS.listLayersPage);
    const after = decodeMarker(r.query.get('Marker'));
    const items: { name: string; arn: string; latest: LayerVersionModel }[] = [];
    for (const layer of this.state.region(r.region).layers.values()) {
      if (layer.accountId !== this.options.accountId) continue;
      const latest = [...layer.versions.values()]
        .filter((v) => matchesFilters(v, runtime, architecture))
        .sort((a, b) => b.Version - a.Version)[0];
      if (latest) items.push({ name: layer.name, arn: layer.arn, latest });
    }
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const rest = items.filter((i) => after === undefined || i.name > String(after));
    const page = rest.slice(0, pageSize);
    const last = page.at(-1);
    return {
      status: 200,
      body: compact({
        Layers: page.map((i) => ({
          LayerName: i.name,
          LayerArn: i.arn,
          LatestMatchingVersion: this.layerVersionListItem(i.latest),
        })),
        NextMarker: rest.length > pageSize && last ? encodeMarker(last.name) : undefined,
      }),
    };
  }

  DeleteLayerVersion(r: LambdaRequest): Reply {
    const ref = this.layerRef(r.region, r.params['LayerName'] ?? '');
    // Idempotent, as in Lambda: deleting a missing version succeeds. Functions that use it keep it.
    this.state.region(r.region).layers.get(ref.arn)?.versions.delete(Number(r.params['VersionNumber']));
    return deleted(this.options);
  }

  private statement(
    version: LayerVersionModel,
    sid: string,
    principal: string,
    organizationId?: string,
  ): LayerPolicyStatement {
    return {
      Sid: sid,
      Effect: 'Allow',
      Principal:
        principal === '*'
          ? '*'
          : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal },
      Action: 'lambda:GetLayerVersion',
      Resource: version.LayerVersionArn,
      ...(organizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } } } : {}),
    };
  }

  AddLayerVersionPermission(r: LambdaRequest): Reply {
    const b = r.body;
    new Constraints()
      .required(b['StatementId'], 'statementId')
      .required(b['Action'], 'action')
      .required(b['Principal'], 'principal')
      .minLength(b['StatementId'], 'statementId', 1)
      .maxLength(b['StatementId'], 'statementId', 100)
      .pattern(b['StatementId'], 'statementId', STATEMENT_ID_PATTERN)
      .maxLength(b['Action'], 'action', 22)
      .pattern(b['Action'], 'action', 'lambda:GetLayerVersion')
      .pattern(b['Principal'], 'principal', PRINCIPAL_PATTERN)
      .maxLength(b['OrganizationId'], 'organizationId', 34)
      .pattern(b['OrganizationId'], 'organizationId', ORG_ID_PATTERN)
      .check();
    const { version } = this.layerVersion(
      r.region,
      r.params['LayerName'] ?? '',
      r.params['VersionNumber'] ?? '',
    );
    const revisionId = r.query.get('RevisionId');
    if (revisionId !== null && revisionId !== version.policy.revisionId)
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
      );
    const sid = String(b['StatementId']);
    if (version.policy.statements.some((s) => s.Sid === sid))
      throw conflict(
        'The statement id (sid) provided already exists. Please provide a new statement id, or remove the existing statement.',
      );
    const organizationId = str(b['OrganizationId']);
    if (organizationId !== undefined && b['Principal'] !== '*')
      throw invalidParameter('OrganizationId can only be specified together with the principal *.');
    const statement = this.statement(version, sid, String(b['Principal']), organizationId);
    version.policy.statements.push(statement);
    version.policy.revisionId = randomUUID();
    return {
      status: 201,
      body: compact({ Statement: JSON.stringify(statement), RevisionId: this.policyRevision(version) }),
    };
  }

  /** Emulators send no RevisionId; one the caller could not have read is still refused (412), as by Lambda. */
  private policyRevision(version: LayerVersionModel): string | undefined {
    return this.options.emulator ? undefined : version.policy.revisionId;
  }

  GetLayerVersionPolicy(r: LambdaRequest): Reply {
    const { version } = this.layerVersion(
      r.region,
      r.params['LayerName'] ?? '',
      r.params['VersionNumber'] ?? '',
    );
    if (version.policy.statements.length === 0)
      throw notFound('No policy is associated with the given resource.');
    return {
      status: 200,
      body: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Id: 'default',
          Statement: version.policy.statements,
        }),
        ...compact({ RevisionId: this.policyRevision(version) }),
      },
    };
  }

  RemoveLayerVersionPermission(r: LambdaRequest): Reply {
    const { version } = this.layerVersion(
      r.region,
      r.params['LayerName'] ?? '',
      r.params['VersionNumber'] ?? '',
    );
    const sid = r.params['StatementId'] ?? '';
    const revisionId = r.query.get('RevisionId');
    if (revisionId !== null && revisionId !== version.policy.revisionId)
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
      );
    const index = version.policy.statements.findIndex((s) => s.Sid === sid);
    if (index < 0) throw notFound(`Statement ${sid} is not found in resource policy.`);
    version.policy.statements.splice(index, 1);
    version.policy.revisionId = randomUUID();
    return deleted(this.options);
  }
}

function matchesFilters(v: LayerVersionModel, runtime: string | null, architecture: string | null): boolean {
  return (
    (runtime === null || (v.CompatibleRuntimes ?? []).includes(runtime)) &&
    (architecture === null || (v.CompatibleArchitectures ?? []).includes(architecture))
  );
}
