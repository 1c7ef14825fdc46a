import { describe, expect, it } from 'vitest';
import { compileFilter, compileGlob, GlobError, globMatches } from '../../src/glob.js';

const matches = (glob: string, name: string): boolean => globMatches(compileGlob(glob), name);

describe('function-filter globs (shell semantics)', () => {
  it.each([
    ['api-*', 'api-one', true],
    ['api-*', 'xapi-one', false],
    ['*-worker', 'eu-worker', true],
    ['*-worker', 'eu-worker-2', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[!x]*', 'abc', true],
    ['[!x]*', 'xbc', false],
    ['[^x]*', 'xbc', false],
    ['[a-c]-x', 'b-x', true],
    ['[a-c]-x', 'd-x', false],
    ['[[:digit:]]*', '9-lives', true],
    ['[[:digit:]]*', 'nine', false],
    ['*', 'anything', true],
    ['a*', 'a', true],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['*a*a*b*', 'xaxaxbx', true],
    ['**a**', 'a', true],
    ['[]a]', 'a', true],
    ['api', 'api-one', false],
  ])('%s against %s is %s', (glob, name, expected) => {
    expect(matches(glob, name)).toBe(expected);
  });

  it('has no backtracking: 31 stars against the longest function name answer at once', () => {
    const name = 'a'.repeat(64);
    for (const glob of ['*a'.repeat(8) + '*b', '*a'.repeat(30) + '*b', '*a'.repeat(29) + '*b*']) {
      expect(matches(glob, name)).toBe(false);
    }
    expect(matches('*a'.repeat(30) + '*', name)).toBe(true);
  });

  it('excludes with a leading !, and includes everything else when only exclusions are given', () => {
    const filter = compileFilter(['!legacy-*']);
    expect(filter.matches('legacy-api')).toBe(false);
    expect(filter.matches('api')).toBe(true);
    const both = compileFilter(['api-*', 'worker-*', '!*-test']);
    expect(['api-one', 'api-test', 'worker-1', 'cron'].filter(both.matches)).toEqual(['api-one', 'worker-1']);
    expect(compileFilter([]).matches('anything')).toBe(true);
  });

  it.each([
    ['[', /\[ at position 1 that is not closed/],
    ['api-[a-z', /not closed/],
    ['a]', /\] outside a bracket/],
    ['a!b', /! outside a bracket/],
    ['!', /empty after !/],
    ['[a*]', /not closed/],
    ['[z-a]', /matches nothing/],
    ['[[:foo:]]', /unknown class \[:foo:\]/],
    ['api one', /may hold only/],
    ['api.*', /may hold only/],
    ['a'.repeat(257), /longer than 256/],
  ])('refuses %s', (glob, message) => {
    expect(() => compileGlob(glob)).toThrow(GlobError);
    expect(() => compileGlob(glob)).toThrow(message);
  });
});
