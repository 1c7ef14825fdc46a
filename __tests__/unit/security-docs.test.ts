/**
 * docs/security.md "What the build can reach" keeps its promises in step with the code: the inputs it
 * names exist with the defaults it gives, the messages it quotes are the ones the code writes, and the
 * README links to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');
const docs = read('docs/security.md');
const action = parse(read('action.yml')) as { inputs: Record<string, { default?: string }> };

describe('docs/security.md', () => {
  it('has the section the README links to', () => {
    expect(docs).toMatch(/^## What the build can reach$/m);
    expect(read('README.md')).toContain('(docs/security.md#what-the-build-can-reach)');
  });

  it('names the build inputs with the defaults action.yml gives them', () => {
    expect(action.inputs['build-timeout']!.default).toBe('30');
    expect(docs).toContain('`build-timeout`, minutes (default 30');
    expect(action.inputs['build-network']!.default).toBe('bridge');
    expect(docs).toContain('(`build-network: bridge`)');
    expect(action.inputs['build-memory']!.default).toBeUndefined();
    expect(docs).toContain("default ¾ of the runner's memory");
  });

  it('quotes the messages the code writes when a limit is hit', () => {
    const docker = read('src/docker.ts');
    expect(docs).toContain('was stopped after build-timeout (30 minutes)');
    expect(docker).toContain('was stopped after build-timeout (${limits.timeoutInput} minutes)');
    expect(docs).toContain('was killed (exit code 137) for using more memory than build-memory (8g) allows');
    expect(docker).toContain(
      'was killed (exit code ${output.exitCode}) for using more memory than build-memory',
    );
    expect(docker).toContain('`(${limits.memoryInput}) allows.');
    expect(docker).toContain('::stop-commands::${token}');
  });

  it('covers cloud metadata and every way to close it', () => {
    for (const text of [
      '169.254.169.254',
      'build-network: none',
      '--http-put-response-hop-limit 1',
      'DOCKER-USER',
    ]) {
      expect(docs).toContain(text);
    }
  });
});
