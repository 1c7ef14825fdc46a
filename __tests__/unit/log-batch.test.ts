import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineBatch } from '../../src/log-batch.js';

afterEach(() => vi.useRealTimers());

describe('LineBatch', () => {
  it('writes 1,000 lines in order with 5 writes of 200', () => {
    const writes: string[] = [];
    const log = new LineBatch((text) => writes.push(text));
    const lines = Array.from({ length: 1000 }, (_, i) => `  updated   fn-${i} 1 → 2 (1.0 s)`);
    for (const line of lines) log.add(line);
    log.flush();
    expect(writes).toHaveLength(5);
    expect(writes.join('\n').split('\n')).toEqual(lines);
  });

  it('writes a partial batch after maxDelayMs, and flush() writes at once', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = new LineBatch((text) => writes.push(text), 200, 1000);
    log.add('a');
    log.add('b');
    vi.advanceTimersByTime(999);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['a\nb']);
    log.add('c');
    log.flush();
    expect(writes).toEqual(['a\nb', 'c']);
    vi.advanceTimersByTime(5000); // the timer of 'c' was cleared: no empty or repeated write
    log.flush();
    expect(writes).toEqual(['a\nb', 'c']);
  });
});
