import { describe, expect, it } from 'vitest';
import { newReport, renderComment, renderSummary } from '../../src/report/index.js';
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
        { module: 'fast', ok: true, ms: 20 },
        { module: 'greeting', ok: true, alreadyLoaded: true, ms: 0 },
      ]),
    ];
    const report = newReport();
    report.layerName = 'multi';
    report.runtime = 'python3.11';
    report.architecture = 'x86_64';
    report.smoke = { image: runs[0]!.image, imports: runs[0]!.imports, runs };
    report.steps.push({ step: 'smoke-test', status: 'succeeded', seconds: 1, note: 'imports ok' });
    const summary = renderSummary(report);
    expect(summary).toContain('Smoke test in img/python:3.11, img/python:3.13');
    expect(summary).toMatch(/\| Module\s*\| python3\.11\s*\| python3\.13\s*\|/);
    expect(summary).toMatch(/\| `fast`\s*\| ✅ [^|]+\| ✅ [^|]+\|/);
    expect(summary).toMatch(/\| `greeting`\s*\| ✅ [^|]+\| ✅\s*\|/);
    expect(summary).toContain('4 imports ok in python3.11, python3.13');
    expect(renderComment(report)).not.toMatch(/\| Module/);
  });

  it('names the runtime of a failed import when several ran', () => {
    const runs = [
      run('python3.11', 'img/python:3.11', [{ module: 'fast', ok: true }]),
      run('python3.13', 'img/python:3.13', [{ module: 'fast', ok: false, error: 'ImportError: boom' }]),
    ];
    const report = newReport();
    report.layerName = 'multi';
    report.smoke = { image: runs[0]!.image, imports: runs[0]!.imports, runs };
    report.steps.push({ step: 'smoke-test', status: 'failed', seconds: 1, note: 'Smoke test failed' });
    report.error = 'Smoke test failed in img/python:3.13: 1 of 1 imports failed';
    const summary = renderSummary(report);
    expect(summary).toContain('import `fast` in python3.13');
    expect(summary).toContain('ImportError: boom');
  });
});
