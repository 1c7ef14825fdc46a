/**
 * Names checked by the rules of the service that will receive them, so that a name AWS or Docker would
 * refuse is refused here, before anything is built or published. Each checker returns the reason a
 * value is refused, or undefined. Lengths are counted in code points, as AWS counts them.
 */
import { partition } from '@aws-sdk/core/client';

/** An AWS account id: 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Characters as AWS counts them: code points, not UTF-16 units (an emoji is one). */
export const codePoints = (value: string): number => [...value].length;

// ---- regions (the SDK's partition data) -----------------------------------------------------------

/** The partition (aws, aws-cn, aws-us-gov, …) of a region the SDK knows, or undefined. */
export function partitionOf(region: string): string | undefined {
  if (!/^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(region)) return undefined;
  // The SDK falls back to a partition whose regionRegex matches; only listed regions carry a description.
  const info = partition(region) as { name: string; description?: string };
  return info.description === undefined ? undefined : info.name;
}

// ---- SSM parameter names ----------------------------------------------------------------------------

/**
 * Systems Manager's naming constraints (PutParameter): a-zA-Z0-9_.- and `/` between levels, a name in a
 * hierarchy starts with `/`, at most 15 levels, no `aws`/`ssm` prefix, and the parameter's full ARN at
 * most 1,011 characters.
 */
export function ssmNameProblem(name: string, regions: readonly string[]): string | undefined {
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) return 'may hold only letters, digits, _ . - and / between levels';
  if (/^\/?(aws|ssm)/i.test(name)) return 'must not start with aws or ssm (reserved by AWS)';
  if (name.includes('/')) {
    if (!name.startsWith('/')) return 'is in a hierarchy, so it must start with /';
    const levels = name.slice(1).split('/');
    if (levels.some((level) => level === '')) return 'has an empty level (// or a trailing /)';
    if (levels.some((level) => level === '.' || level === '..')) return 'has a . or .. level';
    if (levels.length > 15) return `has ${levels.length} levels; Systems Manager allows at most 15`;
  }
  for (const region of regions) {
    const arn = `arn:${partitionOf(region) ?? 'aws'}:ssm:${region}:123456789012:parameter/${name.replace(/^\//, '')}`;
    if (codePoints(arn) > 1011) {
      return `is ${codePoints(name)} characters; with its ARN in ${region} it passes Systems Manager's 1,011`;
    }
  }
  return undefined;
}

// ---- S3 bucket names --------------------------------------------------------------------------------

const BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** S3's naming rules for general purpose buckets, for one concrete name. */
export function bucketNameProblem(name: string): string | undefined {
  const length = codePoints(name);
  if (length < 3 || length > 63) return `is ${length} characters; S3 allows 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may hold only lowercase letters, digits, . and -';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not hold two adjacent periods';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  const prefix = BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with ${prefix} (reserved by S3)`;
  const suffix = BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with ${suffix} (reserved by S3)`;
  return undefined;
}

/** A bucket name in which `{region}` stands for each region's name; checked once per region. */
export function bucketTemplateProblem(template: string, regions: readonly string[]): string | undefined {
  const placeholder = /\{([^}]*)\}/g;
  for (const [, name] of template.matchAll(placeholder)) {
    if (name !== 'region') return `has the placeholder {${name}}; only {region} is replaced`;
  }
  if (/[{}]/.test(template.replace(placeholder, ''))) return 'has an unmatched { or }';
  const names = template.includes('{region}')
    ? (regions.length > 0 ? regions : ['us-east-1']).map((region) => template.replaceAll('{region}', region))
    : [template];
  for (const name of names) {
    const problem = bucketNameProblem(name);
    if (problem)
      return names.length > 1 || name !== template
        ? `becomes ${JSON.stringify(name)}, which ${problem}`
        : problem;
  }
  return undefined;
}

// ---- Docker image references (github.com/distribution/reference) -------------------------------------

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** distribution/reference's NameTotalLengthMax. */
const NAME_MAX = 255;

/** Checks `[domain/]path[:tag][@digest]` by the grammar Docker itself parses references with. */
export function imageReferenceProblem(reference: string): string | undefined {
  let rest = reference;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return 'has a digest that is not algorithm:hex (e.g. sha256:…)';
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    const tag = rest.slice(colon + 1);
    if (!TAG.test(tag))
      return `has the tag ${JSON.stringify(tag)}; a tag is 1 to 128 of letters, digits, _ . - not starting with . or -`;
    rest = rest.slice(0, colon);
  }
  if (rest === '') return 'has no repository name';
  if (rest.length > NAME_MAX)
    return `has a name of ${rest.length} characters; Docker allows at most ${NAME_MAX}`;
  const components = rest.split('/');
  // Docker's rule: the first component is a registry only if it has a . or :, is localhost, or has capitals.
  const first = components[0]!;
  if (
    components.length > 1 &&
    (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())
  ) {
    if (!DOMAIN.test(first))
      return `has the registry ${JSON.stringify(first)}, which is not a host name[:port]`;
    components.shift();
  }
  const bad = components.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) {
    return `has the path component ${JSON.stringify(bad)}; use lowercase letters and digits separated by . _ __ or -`;
  }
  return undefined;
}
