import type { AliasConfiguration, FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Blob, Digests } from './blobs.js';

/** One statement of a layer version's resource policy, exactly as GetLayerVersionPolicy renders it. */
export interface LayerPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: { StringEquals: { 'aws:PrincipalOrgID': string } };
}

export interface LayerVersionModel {
  LayerArn: string;
  LayerVersionArn: string;
  Version: number;
  Description?: string;
  LicenseInfo?: string;
  CompatibleRuntimes?: string[];
  CompatibleArchitectures?: string[];
  CreatedDate: string;
  CodeSha256: string;
  CodeSize: number;
  /** Sum of the zip's entry sizes (what counts against the 250 MB function + layers limit). */
  UnzippedSize: number;
  content: Blob;
  policy: { revisionId: string; statements: LayerPolicyStatement[] };
}

export interface LayerModel {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  /** Highest version number ever created; numbers are never reused, even after deletion. */
  latestVersionNumber: number;
  versions: Map<number, LayerVersionModel>;
}

/** A change of a function, by whom, and the resulting revision. */
export interface FunctionEvent {
  time: number;
  actor: 'seed' | 'caller' | 'concurrent' | 'lambda';
  operation: string;
  revisionId: string;
  lastUpdateStatus?: string;
  layers: string[];
  /** Top-level configuration fields this event changed. */
  changed: string[];
}

export interface FunctionModel {
  region: string;
  name: string;
  arn: string;
  /** `$LATEST`, exactly as GetFunctionConfiguration returns it (Layers, RevisionId, LastUpdateStatus, …). */
  config: FunctionConfiguration;
  unzippedCodeSize: number;
  code?: Blob;
  /** Overrides the double's `updateLatencyMs` for this function. */
  updateLatencyMs?: number;
  /** Published versions by number ("1", "2", …). */
  versions: Map<string, FunctionConfiguration>;
  latestVersionNumber: number;
  aliases: Map<string, AliasConfiguration>;
  tags: Record<string, string>;
  history: FunctionEvent[];
  /** Pending `InProgress` → `Successful`/`Failed` (or `Pending` → `Active`) transition. */
  pending?: NodeJS.Timeout;
}

export interface ParameterModel {
  Name: string;
  Type: string;
  Value: string;
  Version: number;
  LastModifiedDate: Date;
  ARN: string;
  DataType: string;
  Description?: string;
  Tier: string;
  Tags: { Key: string; Value: string }[];
  /** Every value the parameter has had, by version. */
  history: { Version: number; Value: string; LastModifiedDate: Date }[];
}

export interface ObjectModel {
  key: string;
  blob: Blob;
  /** Quoted, as S3 sends it: `"<md5>"` or `"<md5 of part md5s>-<parts>"` for multipart uploads. */
  etag: string;
  digests: Digests;
  contentType: string;
  lastModified: Date;
  checksum?: { algorithm: string; value: string; type: 'FULL_OBJECT' | 'COMPOSITE' };
  metadata: Record<string, string>;
}

export interface UploadPart {
  partNumber: number;
  blob: Blob;
  etag: string;
  md5Hex: string;
  checksum?: { algorithm: string; value: string };
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  contentType: string;
  checksumAlgorithm?: string;
  metadata: Record<string, string>;
  parts: Map<number, UploadPart>;
}

export interface BucketModel {
  name: string;
  region: string;
  objects: Map<string, ObjectModel>;
  uploads: Map<string, MultipartUpload>;
}

export class RegionState {
  readonly functions = new Map<string, FunctionModel>();
  readonly parameters = new Map<string, ParameterModel>();

  /**
   * `layers`: by unversioned layer ARN (`arn:aws:lambda:<region>:<account>:layer:<name>`); one map per
   * region shared by every account of the double, as layer ARNs name their account.
   */
  constructor(
    readonly name: string,
    readonly layers = new Map<string, LayerModel>(),
  ) {}

  /** Bytes of layer and function zips stored in this region (what CodeStorageExceededException counts). */
  codeStorageBytes(accountId: string): number {
    let total = 0;
    for (const layer of this.layers.values()) {
      if (layer.accountId !== accountId) continue;
      for (const v of layer.versions.values()) total += v.CodeSize;
    }
    for (const fn of this.functions.values()) total += (fn.config.CodeSize ?? 0) * (1 + fn.versions.size);
    return total;
  }
}

/** The whole inspectable model of the double. */
export class DoubleState {
  readonly regions = new Map<string, RegionState>();
  /** S3 buckets share one namespace; each has a region. */
  readonly buckets = new Map<string, BucketModel>();

  /** `shared`: the main account's state, whose layers (by ARN) every other account sees. */
  constructor(
    readonly accountId: string,
    private readonly shared?: DoubleState,
  ) {}

  region(name: string): RegionState {
    let r = this.regions.get(name);
    if (!r) {
      r = new RegionState(name, this.shared?.region(name).layers);
      this.regions.set(name, r);
    }
    return r;
  }

  /** A function by name (not ARN). */
  fn(region: string, name: string): FunctionModel | undefined {
    return this.regions.get(region)?.functions.get(name);
  }

  /** A layer by name (in the double's account) or by unversioned layer ARN. */
  layer(region: string, nameOrArn: string): LayerModel | undefined {
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : layerArn(region, this.accountId, nameOrArn);
    return this.regions.get(region)?.layers.get(arn);
  }

  parameter(region: string, name: string): ParameterModel | undefined {
    return this.regions.get(region)?.parameters.get(name);
  }

  object(bucket: string, key: string): ObjectModel | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }
}

export function layerArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${name}`;
}

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}
