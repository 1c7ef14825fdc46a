/**
 * The inventory as a CycloneDX 1.6 JSON document, with the CycloneDX library's models and serializer
 * and packageurl-js's package URLs. Imported only when a build writes an SBOM (src/sbom/index.ts), so
 * ncc keeps these libraries in a chunk of their own (docs/performance.md, cold start).
 *
 * The same inventory gives the same bytes on any runner: every list in an order made here (code-point
 * order, never the locale's), no timestamp, the serial number derived from the layer's hashes, every
 * bom-ref chosen here (the serializer would make random ones for duplicates).
 */
import { ComponentType, HashAlgorithm } from '@cyclonedx/cyclonedx-library/Enums';
import { Factories } from '@cyclonedx/cyclonedx-library/Contrib/License';
import {
  Bom,
  Component,
  type Hash,
  HashDictionary,
  type License,
  Property,
  PropertyRepository,
} from '@cyclonedx/cyclonedx-library/Models';
import { JSON as CdxJson, JsonSerializer } from '@cyclonedx/cyclonedx-library/Serialize';
import { Spec1dot6 } from '@cyclonedx/cyclonedx-library/Spec';
import { PackageURL } from 'packageurl-js';
import parseSpdxExpression from 'spdx-expression-parse';
import type { NativeFile } from '../layer/native.js';
import type { Inventory, LayerPackage, LooseFile } from './inventory.js';
import type { FoundPackage } from './types.js';

/** What the SBOM says about the layer itself (its metadata component). */
export interface LayerFacts {
  readonly name: string;
  readonly runtimes: readonly string[];
  readonly architecture: string;
  /** SHA-256 of the zip: hex, and base64 as Lambda reports CodeSha256. */
  readonly zipSha256: string;
  readonly codeSha256: string;
  readonly contentHash: string;
  readonly buildKey?: string;
  /** The layer version's LicenseInfo (`license-info`). */
  readonly licenseInfo?: string;
  readonly serialNumber: string;
  readonly tool: { readonly name: string; readonly version: string };
}

export interface RenderedBom {
  readonly json: string;
  /** Each package component's licences as the SBOM states them (SPDX id, expression or name). */
  readonly licences: readonly (readonly string[])[];
}

const NS = 'lambda-layer-release';
const licenceFactory = new Factories.LicenseFactory((expression: string) => {
  parseSpdxExpression(expression);
});

export function renderBom(inventory: Inventory, layer: LayerFacts): RenderedBom {
  const refs = new BomRefs();
  const bom = new Bom({ serialNumber: layer.serialNumber });
  const root = layerComponent(layer);
  bom.metadata.component = root;
  bom.metadata.tools.components.add(
    new Component(ComponentType.Application, layer.tool.name, { version: layer.tool.version }),
  );
  const licences: string[][] = [];
  const components: Component[] = [];
  for (const p of inventory.packages) {
    const component = packageComponent(p, refs);
    licences.push([...component.licenses].map(licenceLabel));
    for (const bundled of p.bundled ?? []) {
      component.components.add(
        packageComponent({ ...bundled, paths: [bundled.path], native: [] }, refs, p.path),
      );
    }
    components.push(component);
  }
  for (const file of inventory.files) components.push(fileComponent(file.path, refs, file));
  // In code-point order of their bom-refs: the library's own sorting compares with localeCompare, whose
  // order depends on the runner's locale (da_DK sorts "aab" after "zeta"), so nothing is left to it.
  components.sort((a, b) => (a.bomRef.value! < b.bomRef.value! ? -1 : 1));
  for (const component of components) {
    bom.components.add(component);
    root.dependencies.add(component.bomRef);
  }
  const serializer = new JsonSerializer(new CdxJson.Normalize.Factory(Spec1dot6));
  return { json: `${serializer.serialize(bom, { sortLists: false, space: 2 })}\n`, licences };
}

function layerComponent(layer: LayerFacts): Component {
  const properties = new PropertyRepository([
    ...layer.runtimes.map((runtime) => new Property(`${NS}:compatible-runtime`, runtime)),
    new Property(`${NS}:compatible-architecture`, layer.architecture),
    new Property(`${NS}:code-sha256`, layer.codeSha256),
    new Property(`${NS}:content-hash`, layer.contentHash),
    ...(layer.buildKey ? [new Property(`${NS}:build-key`, layer.buildKey)] : []),
  ]);
  const component = new Component(ComponentType.Library, layer.name, {
    bomRef: `${NS}:layer`,
    hashes: new HashDictionary([[HashAlgorithm['SHA-256'], layer.zipSha256]] as Hash[]),
    properties,
  });
  if (layer.licenseInfo) component.licenses.add(licenceFactory.makeFromString(layer.licenseInfo));
  return component;
}

function packageComponent(p: LayerPackage, refs: BomRefs, inside?: string): Component {
  const purl = packageUrl(p);
  const component = new Component(ComponentType.Library, p.name, {
    ...(p.group ? { group: p.group } : {}),
    ...(p.version ? { version: p.version } : {}),
    ...(purl ? { purl } : {}),
    bomRef: refs.take(inside ? `${purl ?? p.name}@${inside}` : (purl ?? `${p.ecosystem}:${p.path}`)),
    properties: new PropertyRepository(p.paths.map((where) => new Property(`${NS}:path`, where))),
  });
  if (p.sha256) component.hashes.set(HashAlgorithm['SHA-256'], p.sha256);
  // Several licences of one package are listed each on its own (the schema allows one expression alone).
  const several = p.licences.length > 1;
  for (const licence of p.licences) {
    component.licenses.add(
      several ? licenceFactory.makeDisjunctive(licence) : licenceFactory.makeFromString(licence),
    );
  }
  for (const file of p.native) component.components.add(fileComponent(file.path, refs, { native: file }));
  return component;
}

function fileComponent(
  file: string,
  refs: BomRefs,
  facts: Partial<LooseFile> & { native?: NativeFile },
): Component {
  const component = new Component(ComponentType.File, file, {
    bomRef: refs.take(`file:${file}`),
    properties: new PropertyRepository(elfProperties(facts.native)),
  });
  if (facts.sha256) component.hashes.set(HashAlgorithm['SHA-256'], facts.sha256);
  return component;
}

function elfProperties(native: NativeFile | undefined): Property[] {
  if (!native) return [];
  return [
    new Property(`${NS}:elf:type`, native.type),
    new Property(`${NS}:elf:machine`, native.machine),
    ...(native.glibc ? [new Property(`${NS}:elf:glibc`, native.glibc)] : []),
  ];
}

/** pkg:pypi/numpy@2.2.6, pkg:npm/%40types/node@22.1.0, pkg:maven/org.apache.commons/commons-text@1.13.1, pkg:gem/rack@3.1.8 */
function packageUrl(p: FoundPackage): string | undefined {
  // A Maven artifact is named by its group: a jar known only by its file name has no package URL.
  if (p.ecosystem === 'maven' && !p.group) return undefined;
  try {
    return new PackageURL(p.ecosystem, p.group, p.name, p.version, p.qualifiers, undefined).toString();
  } catch {
    return undefined;
  }
}

function licenceLabel(licence: License): string {
  if ('expression' in licence) return licence.expression;
  return 'id' in licence ? licence.id : licence.name;
}

/** bom-refs unique within the document: a second use of one gets `#2`, and so on, in document order. */
class BomRefs {
  private readonly taken = new Map<string, number>();

  take(ref: string): string {
    const count = (this.taken.get(ref) ?? 0) + 1;
    this.taken.set(ref, count);
    return count === 1 ? ref : `${ref}#${count}`;
  }
}
