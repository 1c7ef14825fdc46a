import { describe, expect, it } from 'vitest';
import { findRuntime } from '../../src/runtimes/index.js';
import { buildKeyOf } from '../../src/steps/build-key.js';
import type { LayerArtifact } from '../../src/steps/build.js';
import { layerDescription } from '../../src/steps/publish.js';

const runtime = findRuntime('python3.11')!;
const artifact = (buildKey?: string): LayerArtifact =>
  ({
    contentHash: 'c'.repeat(64),
    packages: Array.from({ length: 40 }, (_, i) => ({ name: `package-${i}`, version: '1.2.3', imports: [] })),
    ...(buildKey ? { buildKey } : {}),
  }) as unknown as LayerArtifact;
const inputs = { runtime, layerName: 'deps', description: undefined } as unknown as Parameters<
  typeof layerDescription
>[0];

describe('the build key in the description', () => {
  it('sits before the content hash and survives a package list cut to fit 256 characters', () => {
    const key = 'a1'.repeat(16);
    const description = layerDescription(inputs, artifact(key));
    expect(description.length).toBe(256);
    expect(description).toMatch(new RegExp(`^package-0==1\\.2\\.3 .*… build:${key} sha256:c{64}$`));
    expect(buildKeyOf(description)).toBe(key);
  });

  it('is absent for an unpinned build, and only a whole marker counts', () => {
    expect(layerDescription(inputs, artifact())).not.toContain('build:');
    expect(buildKeyOf(layerDescription(inputs, artifact()))).toBeUndefined();
    expect(buildKeyOf('rebuild:abc sha256:c')).toBeUndefined();
    expect(buildKeyOf(undefined)).toBeUndefined();
  });
});
