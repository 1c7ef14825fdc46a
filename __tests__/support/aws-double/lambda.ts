import type { Reply } from './http.js';
import { LayerStore, type SeedLayerVersionOptions } from './lambda-layers.js';
import { FunctionStore, type SeedFunctionOptions } from './lambda-functions.js';
import { lambdaError, type LambdaOptions, type LambdaRequest } from './lambda-rules.js';
import type { BlobStore } from './blobs.js';
import type { FunctionChange } from './faults.js';
import type { DoubleState, FunctionModel, LayerVersionModel } from './model.js';

export type { SeedFunctionOptions } from './lambda-functions.js';
export type { SeedLayerVersionOptions } from './lambda-layers.js';

const ROUTES: readonly (readonly [string, string, string])[] = [
  ['POST', '/2018-10-31/layers/{LayerName}/versions', 'PublishLayerVersion'],
  ['GET', '/2018-10-31/layers/{LayerName}/versions', 'ListLayerVersions'],
  ['GET', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', 'GetLayerVersion'],
  ['DELETE', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', 'DeleteLayerVersion'],
  ['POST', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', 'AddLayerVersionPermission'],
  ['GET', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', 'GetLayerVersionPolicy'],
  [
    'DELETE',
    '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy/{StatementId}',
    'RemoveLayerVersionPermission',
  ],
  ['GET', '/2018-10-31/layers', 'ListLayers'],
  ['POST', '/2015-03-31/functions', 'CreateFunction'],
  ['GET', '/2015-03-31/functions', 'ListFunctions'],
  ['GET', '/2015-03-31/functions/{FunctionName}', 'GetFunction'],
  ['DELETE', '/2015-03-31/functions/{FunctionName}', 'DeleteFunction'],
  ['GET', '/2015-03-31/functions/{FunctionName}/configuration', 'GetFunctionConfiguration'],
  ['PUT', '/2015-03-31/functions/{FunctionName}/configuration', 'UpdateFunctionConfiguration'],
  ['POST', '/2015-03-31/functions/{FunctionName}/versions', 'PublishVersion'],
  ['GET', '/2015-03-31/functions/{FunctionName}/versions', 'ListVersionsByFunction'],
  ['POST', '/2015-03-31/functions/{FunctionName}/aliases', 'CreateAlias'],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases', 'ListAliases'],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'GetAlias'],
  ['PUT', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'UpdateAlias'],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'DeleteAlias'],
];

/** Maps a REST request to its Lambda operation and path labels. */
export function routeLambda(
  method: string,
  pathname: string,
  query: URLSearchParams,
): { operation: string; params: Record<string, string> } | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/');
  for (const [m, template, operation] of ROUTES) {
    if (m !== method) continue;
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i] ?? '';
      const seg = segments[i] ?? '';
      if (part.startsWith('{')) {
        try {
          params[part.slice(1, -1)] = decodeURIComponent(seg);
        } catch {
          ok = false;
        }
      } else ok = part === seg;
    }
    if (!ok) continue;
    if (operation === 'ListLayers' && query.get('find') === 'LayerVersion')
      return { operation: 'GetLayerVersionByArn', params };
    return { operation, params };
  }
  return undefined;
}

type Handler = (r: LambdaRequest) => Promise<Reply> | Reply;

/** AWS Lambda's control plane, REST JSON (`/2015-03-31/functions…`, `/2018-10-31/layers…`). */
export class LambdaService {
  readonly layers: LayerStore;
  readonly functions: FunctionStore;

  constructor(state: DoubleState, blobs: BlobStore, options: LambdaOptions) {
    this.layers = new LayerStore(state, blobs, options);
    this.functions = new FunctionStore(state, options, this.layers);
  }

  async handle(r: LambdaRequest): Promise<Reply> {
    const owner = r.operation.includes('Layer') ? this.layers : this.functions;
    const handler = (owner as unknown as Record<string, Handler | undefined>)[r.operation];
    if (!OPERATIONS.has(r.operation) || !handler)
      throw lambdaError(404, 'UnknownOperationException', `Unknown operation ${r.operation}`);
    return handler.call(owner, r);
  }

  seedLayerVersion(o: SeedLayerVersionOptions): Promise<LayerVersionModel> {
    return this.layers.seedLayerVersion(o);
  }

  seedFunction(o: SeedFunctionOptions): FunctionModel {
    return this.functions.seedFunction(o);
  }

  changeFunction(
    region: string,
    name: string,
    change: FunctionChange | undefined,
    inProgressMs = 0,
    failure?: { reason?: string; reasonCode?: string },
  ): FunctionModel {
    return this.functions.changeFunction(region, name, change, inProgressMs, failure);
  }

  setFunctionState(region: string, name: string, state: 'Pending' | 'Inactive', activeAfterMs: number): void {
    this.functions.setFunctionState(region, name, state, activeAfterMs);
  }

  close(): void {
    this.functions.close();
  }
}

const OPERATIONS = new Set([...ROUTES.map(([, , operation]) => operation), 'GetLayerVersionByArn']);
