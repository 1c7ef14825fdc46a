import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REUSE_READY } from '../../src/runtimes/index.js';
import { alongside } from '../../src/steps/layer-cache.js';

describe('the build container alongside the reused packages', () => {
  const layerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alongside-'));
  const marker = path.join(layerDir, REUSE_READY);
  afterEach(() => vi.restoreAllMocks());

  /** A container that waits for the marker, as src/smoke/pip-reuse.py does, and answers what it read. */
  const waitingContainer = async (): Promise<string> => {
    expect(fs.existsSync(marker)).toBe(false); // it starts before the packages are back
    while (!fs.existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 5));
    return fs.readFileSync(marker, 'utf8');
  };

  it('moves "ready" into place once the packages are back, and removes it after the container', async () => {
    let putBack!: () => void;
    const ready = new Promise<void>((resolve) => (putBack = resolve));
    const running = alongside(layerDir, ready, waitingContainer);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fs.existsSync(marker)).toBe(false);
    putBack();
    expect(await running).toBe('ready');
    expect(fs.readdirSync(layerDir)).toEqual([]);
  });

  it('says "failed", with a warning, when the packages could not be put back', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const ready = Promise.reject(new Error('Refusing to extract "x" of layer.zip: corrupt cache?'));
    expect(await alongside(layerDir, ready, waitingContainer)).toBe('failed');
    expect(lines.join('')).toContain(
      `::warning::cache: the last build's layer cannot be used: Refusing to extract "x" of layer.zip: corrupt cache?`,
    );
    expect(fs.readdirSync(layerDir)).toEqual([]);
  });

  it('removes the marker when the container fails, and passes its error on', async () => {
    const failing = async (): Promise<string> => {
      throw new Error('pip failed');
    };
    await expect(alongside(layerDir, Promise.resolve(), failing)).rejects.toThrow('pip failed');
    expect(fs.readdirSync(layerDir)).toEqual([]);
  });
});
