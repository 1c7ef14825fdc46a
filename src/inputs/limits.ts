/**
 * The build container's limits: how long it may run (build-timeout), how much memory it may use
 * (build-memory) and which network it is on (build-network). See docs/security.md.
 */
import * as os from 'node:os';
import { quote, type InputReader } from './reader.js';

export interface BuildLimits {
  /** Minutes each build container may run before it is killed. */
  readonly buildTimeout: number;
  /** Bytes of memory each build container may use (docker --memory; no swap on top). */
  readonly buildMemory: number;
  /** `bridge`, `none` or a network created by an earlier step. */
  readonly buildNetwork: string;
}

export const DEFAULT_BUILD_TIMEOUT = 30;
/** GitHub ends a job after 6 hours (360 minutes): a longer timeout could never be hit. */
const MAX_BUILD_TIMEOUT = 360;
/** Docker refuses a memory limit below 6 MiB. */
const MIN_BUILD_MEMORY = 6 * 1024 * 1024;
const MEMORY = /^(\d+)([bkmg]?)$/i;
const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** A network Docker can name: letters, digits, `_`, `.` and `-` (so never `container:<id>`). */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/** Three quarters of this machine's memory, in whole MiB: the rest stays for the runner and the OS. */
export function defaultBuildMemory(total = os.totalmem()): number {
  return Math.floor((total * 0.75) / 1024 ** 2) * 1024 ** 2;
}

export function readBuildLimits(reader: InputReader): BuildLimits {
  return {
    buildTimeout: readTimeout(reader),
    buildMemory: readMemory(reader),
    buildNetwork: readNetwork(reader),
  };
}

function readTimeout(reader: InputReader): number {
  const value = reader.input('build-timeout');
  if (value === '') return DEFAULT_BUILD_TIMEOUT;
  const minutes = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || minutes <= 0 || minutes > MAX_BUILD_TIMEOUT) {
    reader.problem(
      `build-timeout: ${quote(value)} is not allowed; use minutes, a number above 0 and at most ` +
        `${MAX_BUILD_TIMEOUT} (e.g. 30, or 0.5 for 30 seconds)`,
    );
    return DEFAULT_BUILD_TIMEOUT;
  }
  return minutes;
}

function readMemory(reader: InputReader): number {
  const value = reader.input('build-memory');
  if (value === '') return defaultBuildMemory();
  const match = MEMORY.exec(value);
  const bytes = match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_BUILD_MEMORY) {
    reader.problem(
      `build-memory: ${quote(value)} is not allowed; use a whole number with a unit, b, k, m or g ` +
        '(powers of 1024), of at least 6m (e.g. 512m or 8g)',
    );
    return defaultBuildMemory();
  }
  return bytes;
}

function readNetwork(reader: InputReader): string {
  const value = reader.input('build-network') || 'bridge';
  if (value === 'host') {
    reader.problem(
      'build-network: "host" is not allowed; it would give the build the runner\'s own network (its ' +
        'localhost services and the cloud metadata endpoint); use bridge, none or a network you created',
    );
  } else if (!NETWORK_NAME.test(value)) {
    reader.problem(
      `build-network: ${quote(value)} is not allowed; use bridge, none or the name of a Docker network ` +
        'an earlier step created (letters, digits, _, . and -)',
    );
  } else {
    return value;
  }
  return 'bridge';
}

/** Bytes as the user would write them: 512m, 12g, 1.5g. */
export function memoryText(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  if (gib >= 1) return `${Number(gib.toFixed(2))}g`;
  return `${Number((bytes / 1024 ** 2).toFixed(1))}m`;
}
