import { WindowCounterStorage } from './window-counter-storage';

describe('WindowCounterStorage (rate limit counts in constant time)', () => {
  it('lets `limit` requests through in a window, blocks the next, and frees them as the window slides', async () => {
    let now = 1_000_000;
    const storage = new WindowCounterStorage(() => now);
    const hit = () => storage.increment('account:a', 60_000, 3, 0, 'default');
    for (let i = 0; i < 3; i++) expect((await hit()).isBlocked).toBe(false);
    const over = await hit();
    expect(over).toMatchObject({ isBlocked: true, totalHits: 4 });
    expect(over.timeToBlockExpire).toBeGreaterThan(0);
    // Another key is counted apart.
    expect((await storage.increment('account:b', 60_000, 3, 0, 'default')).isBlocked).toBe(false);
    // Half a window later the previous window's 3 still weigh 1.5 → 1: two more pass, then blocked.
    now += 90_000;
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
    // Two windows later nothing is left of them.
    now += 120_000;
    expect((await hit()).isBlocked).toBe(false);
  });
});
