/**
 * The layer's bill of materials in the report (src/sbom/): a line in the job summary with the packages
 * and their licences, and its count in the layer zip's details, which the comment shows too.
 */
import { sbomLine } from '../sbom/summary.js';
import type { SbomSummary } from '../sbom/types.js';
import { code, text } from './markdown.js';

/** The row of the "Layer zip" details: `SBOM | 12 packages, CycloneDX 1.6`. */
export function sbomRow(sbom: SbomSummary | undefined): string[][] {
  if (!sbom) return [];
  const packages = `${sbom.packages} package${sbom.packages === 1 ? '' : 's'}`;
  return [['SBOM', `${packages}, ${sbom.packages - sbom.licensed} without a licence (${text(sbom.format)})`]];
}

/** The job summary's line: `**SBOM** (CycloneDX 1.6, `layer.cdx.json`): 12 packages, 10 with a licence (…), 2 without one`. */
export function sbomSummaryLine(sbom: SbomSummary | undefined): string[] {
  if (!sbom) return [];
  const file = sbom.file.slice(sbom.file.lastIndexOf('/') + 1);
  return [`**SBOM** (${text(sbom.format)}, ${code(file)}): ${text(sbomLine(sbom))}.`, ''];
}
