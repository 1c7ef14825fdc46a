/**
 * Layer ARNs compared as Lambda compares them: exactly, field by field, never by substring
 * (`data-science-layer` is not `data-science-layer-v2`, nor the same name in another account or region).
 */

export interface LayerVersionRef {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly version: number;
}

const LAYER_VERSION_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):(\d+)$/;

export function parseLayerVersionArn(arn: string): LayerVersionRef | undefined {
  const match = LAYER_VERSION_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, name, version] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { partition, region, account, name, version: Number(version) };
}

/** `arn:aws:lambda:us-east-1:123456789012:layer:name:7` → `arn:aws:lambda:us-east-1:123456789012:layer:name` */
export function layerArnOf(layerVersionArn: string): string {
  return layerVersionArn.replace(/:\d+$/, '');
}

/** True when `layerVersionArn` is a version of exactly the layer `layerArn` (ARN without version). */
export function isVersionOf(layerVersionArn: string, layerArn: string): boolean {
  return parseLayerVersionArn(layerVersionArn) !== undefined && layerArnOf(layerVersionArn) === layerArn;
}
