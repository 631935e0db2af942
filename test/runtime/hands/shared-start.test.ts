import { describe, expect, it } from 'vitest';
import { sharedStart } from '../../../src/runtime/hands/index.js';

describe('a shared start of the hands', () => {
  it('starts once for callers that ask together, and is there to stop', async () => {
    let opened = 0;
    const shared = sharedStart(async () => ++opened);
    expect(shared.current()).toBeUndefined();
    const [a, b] = await Promise.all([shared.start(), shared.start()]);
    expect([a, b, opened]).toEqual([1, 1, 1]);
    expect(await shared.current()).toBe(1);
  });

  it('forgets a start that failed, so the next caller tries again', async () => {
    let tries = 0;
    const shared = sharedStart(async () => {
      tries += 1;
      if (tries === 1) throw new Error('worker did not start');
      return 'ready';
    });
    await expect(shared.start()).rejects.toThrow('worker did not start');
    expect(shared.current()).toBeUndefined();
    expect(await shared.start()).toBe('ready');
    expect(tries).toBe(2);
  });
});
