/**
 * Reading package metadata the build wrote, which is hostile to the host like everything the build
 * leaves (src/host-guard.ts): only regular files, only up to a size, only valid UTF-8, and every value
 * checked before it goes into the SBOM. A problem is a MetadataError that says what is wrong in words,
 * never what the file holds; the reader then names the package by its folder.
 */
import * as fs from 'node:fs/promises';

/** package.json, METADATA, a gemspec, a jar's manifest: real ones are a few kB, the largest ~300 kB. */
export const MAX_METADATA_BYTES = 1024 * 1024;
/** RECORD lists every file of a Python package: tens of thousands of lines for the largest. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Longest name, version or licence taken from metadata. */
const MAX_VALUE_LENGTH = 256;

export class MetadataError extends Error {
  override name = 'MetadataError';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The text of a metadata file; undefined when there is none. Throws MetadataError for anything else amiss. */
export async function readMetadata(file: string, maxBytes = MAX_METADATA_BYTES): Promise<string | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MetadataError(`${baseName(file)} cannot be read`);
  }
  if (!stat.isFile()) throw new MetadataError(`${baseName(file)} is not a file`);
  if (stat.size > maxBytes) throw new MetadataError(`${baseName(file)} is larger than ${mib(maxBytes)}`);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    throw new MetadataError(`${baseName(file)} cannot be read`);
  }
  return decodeMetadata(bytes, baseName(file), maxBytes);
}

/** Bytes of a metadata file (read from disk or from a jar) as text, or a MetadataError naming `what`. */
export function decodeMetadata(bytes: Uint8Array, what: string, maxBytes = MAX_METADATA_BYTES): string {
  if (bytes.byteLength > maxBytes) throw new MetadataError(`${what} is larger than ${mib(maxBytes)}`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new MetadataError(`${what} is not UTF-8 text`);
  }
  if (text.includes('\0')) throw new MetadataError(`${what} is not text (it holds NUL bytes)`);
  return text.replace(/^\uFEFF/, '');
}

/** JSON of a metadata file, or a MetadataError. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MetadataError(`${what} is not valid JSON`);
  }
}

/**
 * A name, version or licence from metadata: a string of printable characters, at most 256 long.
 * Undefined when absent; a MetadataError when present but not plausible (an object, a line break,
 * a control character, a page of text).
 */
export function plainValue(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MetadataError(`its ${what} is not a string`);
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_VALUE_LENGTH)
    throw new MetadataError(`its ${what} is longer than ${MAX_VALUE_LENGTH} characters`);
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(trimmed))
    throw new MetadataError(`its ${what} holds control characters`);
  return trimmed;
}

/** A version: a plain value without white space. */
export function versionValue(value: unknown, what = 'version'): string | undefined {
  const version = plainValue(value, what);
  if (version !== undefined && /\s/.test(version)) throw new MetadataError(`its ${what} holds white space`);
  return version;
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function mib(bytes: number): string {
  return `${bytes / 1024 / 1024} MiB`;
}
