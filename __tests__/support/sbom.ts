/**
 * Checks of a written SBOM: the CycloneDX library's own validator against the CycloneDX 1.6 JSON
 * schema (it needs ajv, ajv-formats and ajv-formats-draft2019, devDependencies), and the components
 * a test compares with what the layer tree holds.
 */
import * as fs from 'node:fs';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { ZipFile } from 'yazl';

export interface CdxComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  'bom-ref': string;
  licenses?: ({ license: { id?: string; name?: string } } | { expression: string })[];
  hashes?: { alg: string; content: string }[];
  properties?: { name: string; value: string }[];
  components?: CdxComponent[];
}

export interface CdxBom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  version: number;
  metadata: { timestamp?: string; component: CdxComponent; tools: { components: CdxComponent[] } };
  components?: CdxComponent[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
}

/** null when the JSON is a valid CycloneDX 1.6 document, else the validator's errors. */
export async function cycloneDxErrors(json: string): Promise<unknown> {
  return new JsonStrictValidator(Version.v1dot6).validate(json);
}

export function readBom(file: string): CdxBom {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CdxBom;
}

/** `name@version` of each package component (group/name for Maven and scoped npm), sorted. */
export function packagesOf(bom: CdxBom): string[] {
  return (bom.components ?? [])
    .filter((c) => c.type === 'library')
    .map((c) => `${c.group ? `${c.group}/` : ''}${c.name}@${c.version ?? ''}`)
    .sort();
}

/** The licences of a component, as ids, names or expressions. */
export function licencesOf(component: CdxComponent): string[] {
  return (component.licenses ?? []).map((l) =>
    'expression' in l ? l.expression : (l.license.id ?? l.license.name ?? ''),
  );
}

export function property(component: CdxComponent, name: string): string[] {
  return (component.properties ?? []).filter((p) => p.name === name).map((p) => p.value);
}

/** A jar (a zip) with the given entries. */
export async function makeJar(file: string, entries: Record<string, string | Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}
