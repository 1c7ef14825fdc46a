/**
 * What every group reader of src/inputs.ts shares: raw input access, the typed parsers (booleans,
 * whole numbers, choices, lengths, lists, paths inside the workspace), and the list of problems found.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kindOf, locate } from '../host-guard.js';
import { codePoints } from './names.js';

const BOOLEAN_VALUES = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];

export const quote = (value: string): string => JSON.stringify(value);

/** Splits a list input on commas and newlines (and whitespace, with `words`), dropping empty items. */
export function parseList(value: string, { words = false } = {}): string[] {
  return value
    .split(words ? /[\s,]+/ : /[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** What every group reader shares: raw input access, typed parsers, and the list of problems found. */
export class InputReader {
  readonly problems: string[] = [];

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly workspace: string,
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  input(name: string): string {
    return core.getInput(name);
  }

  optional(name: string): string | undefined {
    return this.input(name) || undefined;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.input(name);
    if (value === '') return fallback;
    if (!BOOLEAN_VALUES.includes(value)) {
      this.problem(`${name}: ${quote(value)} is not a boolean; use true or false`);
      return fallback;
    }
    return value.toLowerCase() === 'true';
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.input(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      this.problem(`${name}: ${quote(value)} is not allowed; use a whole number from ${min} to ${max}`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.input(name) || fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(`${name}: ${quote(value)} is not allowed; use one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  /** Lambda counts characters as code points (an emoji is one), so this does too. */
  maxLength(name: string, value: string | undefined, max: number): string | undefined {
    if (value !== undefined && codePoints(value) > max) {
      this.problem(`${name}: ${codePoints(value)} characters is too long; Lambda allows at most ${max}`);
    }
    return value;
  }

  /** Whether the input was set to something other than its action.yml default. */
  given(name: string, fallback = ''): boolean {
    const value = this.input(name);
    return value !== '' && value !== fallback;
  }

  /** A list with each item once, in the order first given; the log says what was dropped. */
  unique(name: string, items: readonly string[]): string[] {
    const kept = [...new Set(items)];
    if (kept.length < items.length) {
      const repeated = [...new Set(items.filter((item, i) => items.indexOf(item) !== i))];
      core.info(`${name}: ${repeated.join(', ')} given more than once; each is used once`);
    }
    return kept;
  }

  /**
   * Resolves a path input inside the workspace (or another of `roots`); refuses one that escapes them,
   * also through symlinks, or leads to what the build is kept from (src/host-guard.ts, locate).
   */
  workspacePath(name: string, value: string, base: string, roots = [this.workspace]): string {
    const resolved = path.resolve(base, value);
    const found = locate(
      resolved,
      roots.map((dir) => ({ dir, name: dir === this.workspace ? 'the workspace' : 'RUNNER_TEMP' })),
    );
    if (found.status === 'refused' && found.why === 'kept') {
      this.problem(`${name}: ${quote(value)} ${found.reason}; give another path`);
    } else if (found.status === 'refused') {
      this.problem(
        roots.length === 1
          ? `${name}: ${quote(value)} resolves outside the workspace ${this.workspace}; use a path inside it`
          : `${name}: ${quote(value)} resolves outside the workspace ${this.workspace} and RUNNER_TEMP ` +
              `${this.runnerTemp}; use a path inside one of them`,
      );
    }
    return resolved;
  }

  /** The runner's temp folder, when the runner says where it is. */
  get runnerTemp(): string | undefined {
    return this.env.RUNNER_TEMP ? path.resolve(this.env.RUNNER_TEMP) : undefined;
  }
}

/** What a path is: 'file', 'folder', 'FIFO (named pipe)', …, or undefined when nothing is there. Never opens it. */
export function fileKind(file: string): string | undefined {
  try {
    return kindOf(fs.statSync(file));
  } catch {
    return undefined;
  }
}
