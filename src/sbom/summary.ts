/** The SBOM in numbers, and as one line for the log and the job summary. Light: the report imports it. */
import type { SbomSummary } from './types.js';

export function summarize(
  file: string,
  licences: readonly (readonly string[])[],
  files: number,
  skipped: number,
): SbomSummary {
  const counts = new Map<string, number>();
  for (const licence of licences.flat()) counts.set(licence, (counts.get(licence) ?? 0) + 1);
  return {
    file,
    format: 'CycloneDX 1.6',
    packages: licences.length,
    licensed: licences.filter((l) => l.length > 0).length,
    licences: [...counts]
      .map(([licence, packages]) => ({ licence, packages }))
      .sort((a, b) => b.packages - a.packages || (a.licence < b.licence ? -1 : 1)),
    files,
    skipped,
  };
}

/** "12 packages, 10 with a licence (MIT 6, BSD-3-Clause 4), 2 without one; 3 native files outside packages" */
export function sbomLine(summary: SbomSummary, shown = 5): string {
  const { packages, licensed, licences, files } = summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const named = licences.slice(0, shown).map((l) => `${l.licence} ${l.packages}`);
  if (licences.length > shown) named.push(`${licences.length - shown} more`);
  const parts = [
    plural(packages, 'package'),
    `${licensed} with a licence${named.length > 0 ? ` (${named.join(', ')})` : ''}`,
    `${packages - licensed} without one`,
  ];
  const loose = files > 0 ? `; ${plural(files, 'file')} outside packages` : '';
  return `${parts.join(', ')}${loose}`;
}
