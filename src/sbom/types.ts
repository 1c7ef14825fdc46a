/**
 * The bill of materials' types: what the readers find in the layer tree, and what the build step
 * reports about the SBOM it wrote. A leaf: it imports none of its neighbours.
 */

/** The package URL type of each ecosystem a layer can hold. */
export type Ecosystem = 'pypi' | 'npm' | 'maven' | 'gem';

/** A package found in the layer tree, as its own metadata (or, when that is unreadable, its folder) says. */
export interface FoundPackage {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version?: string;
  /** Maven groupId, or npm scope (`@types`). */
  readonly group?: string;
  /** Package URL qualifiers, e.g. a gem's platform. */
  readonly qualifiers?: Readonly<Record<string, string>>;
  /** Licences as the metadata states them: SPDX ids or expressions, else names. */
  readonly licences: readonly string[];
  /** Where it is, relative to the layer root: its metadata folder, package folder or jar. */
  readonly path: string;
  /** Layer paths it owns: files, and folders (ending in `/`); its native files are found in them. */
  readonly owns: readonly string[];
  /** SHA-256 (hex) of the file that is the package (a jar). */
  readonly sha256?: string;
  /** Packages bundled inside it (the other Maven artifacts of a shaded jar). */
  readonly bundled?: readonly FoundPackage[];
}

/** A package folder whose metadata was skipped: the SBOM names the package by its folder. */
export interface SkippedMetadata {
  /** The package folder (or jar, or gemspec), relative to the layer root. */
  readonly folder: string;
  /** Why, in words, never the file's contents: "is larger than 1 MiB", "is not valid JSON". */
  readonly reason: string;
}

/** What a reader found in the layer's module folders. */
export interface Found {
  readonly packages: FoundPackage[];
  readonly skipped: SkippedMetadata[];
}

/** The SBOM the build step wrote, for the outputs, the log and the report. */
export interface SbomSummary {
  /** Path of the CycloneDX JSON file, beside the zip. */
  readonly file: string;
  readonly format: 'CycloneDX 1.6';
  /** Package components (one per package URL; bundled ones not counted). */
  readonly packages: number;
  /** Packages with at least one licence. */
  readonly licensed: number;
  /** Each licence (SPDX id, expression or name) and how many packages carry it, most used first. */
  readonly licences: readonly { readonly licence: string; readonly packages: number }[];
  /** File components: native files and executables that belong to no package. */
  readonly files: number;
  /** Package folders whose metadata was skipped (one warning each). */
  readonly skipped: number;
}
