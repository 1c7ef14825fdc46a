import { describe, expect, it } from 'vitest';
import { newReport, renderComment, renderSummary } from '../../src/report.js';
import type { RuntimeSmoke } from '../../src/steps/smoke-test.js';

const run = (runtime: string, image: string, imports: RuntimeSmoke['imports']): RuntimeSmoke => ({
  runtime,
  image,
  imports,
});

describe('the smoke test in the job summary', () => {
  it('shows one column per declared runtime, and counts the imports of all runs', () => {
    const runs = [
      run('python3.11', 'img/python:3.11', [
        { module: 'fast', ok: true, ms: 12.5 },
        { module: 'greeting', ok: true, ms: 1 },
      ]),
      run('python3.13', 'img/python:3.13', [
        { module: 'fast', ok: false, error: 'ImportError: x | y' },
        { module: 'greeting', ok: true },
      ]),
    ];
    const report = newReport();
    report.smoke = { image: runs[0]!.image, imports: runs[0]!.imports, runs };
    report.steps.push({ step: 'smoke-test', status: 'succeeded', seconds: 1, note: 'imports ok' });
    const summary = renderSummary(report);
    expect(summary).toContain(
      '<details><summary>Smoke test in <code>img/python:3.11</code>, <code>img/python:3.13</code></summary>',
    );
    expect(summary).toContain('| Module | python3.11 | python3.13 |\n| --- | --- | --- |\n');
    expect(summary).toContain('| fast | ✅ 12.5 ms | ❌ ImportError: x \\| y |\n| greeting | ✅ 1 ms | ✅ |');
    expect(summary).toMatch(/\| ✅ smoke-test \| 4\/4 imports ok in python3.11, python3.13 \|/);
    expect(renderComment(report)).not.toContain('| Module |');
  });
});
