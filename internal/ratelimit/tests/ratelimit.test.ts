import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '#internal/ratelimit';

const REDIS_URL = process.env['REDIS_URL'];
const MINUTE = 60_000;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

function memory(options: Partial<ConstructorParameters<typeof MemoryRateLimiter>[0]> = {}) {
  const clock = { now: 0 };
  const limiter = new MemoryRateLimiter({ windowMs: MINUTE, now: () => clock.now, pruneEveryMs: 0, ...options });
  cleanup.push(() => limiter.close());
  return { limiter, clock };
}

describe('in-process sliding-window limiter', () => {
  it('allows `limit` hits in any window and frees each slot a window after its hit', () => {
    const { limiter, clock } = memory();
    const ip = [{ key: 'ip:a', limit: 3 }];
    for (const at of [0, 10_000, 20_000]) {
      clock.now = at;
      expect(limiter.hitNow(ip)).toEqual({ allowed: true, retryAfterMs: 0, exceeded: [] });
    }
    clock.now = 30_000;
    expect(limiter.hitNow(ip)).toEqual({ allowed: false, retryAfterMs: 30_000, exceeded: ['ip:a'] });
    clock.now = 59_999;
    expect(limiter.hitNow(ip)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    // The window slides: the hit at 0 leaves it at 60 s, the others stay.
    clock.now = 60_000;
    expect(limiter.hitNow(ip).allowed).toBe(true);
    clock.now = 61_000;
    expect(limiter.hitNow(ip)).toMatchObject({ allowed: false, retryAfterMs: 9_000 });
    // A fixed one-minute window would have reset at 60 s and allowed all three again.
    clock.now = 70_000;
    expect(limiter.hitNow(ip).allowed).toBe(true);
    expect(limiter.hitNow(ip).allowed).toBe(false);
  });

  it('counts a hit against every rule or none, and keeps keys apart', () => {
    const { limiter } = memory();
    const both = [
      { key: 'ip:a', limit: 2 },
      { key: 'user:u', limit: 3 },
    ];
    expect(limiter.hitNow(both).allowed).toBe(true);
    expect(limiter.hitNow(both).allowed).toBe(true);
    expect(limiter.hitNow(both)).toMatchObject({ allowed: false, exceeded: ['ip:a'] });
    // The refused hit did not use the user's third request: from another address it passes.
    expect(limiter.hitNow([{ key: 'ip:b', limit: 2 }, both[1] ?? { key: '', limit: 0 }]).allowed).toBe(true);
    expect(limiter.hitNow([{ key: 'user:u', limit: 3 }])).toMatchObject({ allowed: false, exceeded: ['user:u'] });
    expect(limiter.hitNow([{ key: 'user:v', limit: 3 }]).allowed).toBe(true);
  });

  it('treats a limit of 0 as no limit', () => {
    const { limiter } = memory();
    for (let i = 0; i < 100; i += 1) expect(limiter.hitNow([{ key: 'ip:a', limit: 0 }]).allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('bounds memory: idle keys are pruned, and past maxKeys the least recently hit goes', () => {
    const { limiter, clock } = memory({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) limiter.hitNow([{ key, limit: 1 }]);
    clock.now = 1_000;
    expect(limiter.hitNow([{ key: 'a', limit: 1 }]).allowed).toBe(false);
    // A fourth key drops the least recently hit, 'a' (a refused hit does not count as one).
    expect(limiter.hitNow([{ key: 'd', limit: 1 }]).allowed).toBe(true);
    expect(limiter.size).toBe(3);
    expect(limiter.hitNow([{ key: 'c', limit: 1 }]).allowed).toBe(false);
    expect(limiter.hitNow([{ key: 'a', limit: 1 }]).allowed).toBe(true);
    expect(limiter.size).toBe(3); // 'a' again, 'c' and 'd'; 'b' went
    clock.now = MINUTE;
    limiter.prune();
    expect(limiter.size).toBe(2); // 'c', hit at 0, has left the window; 'a' and 'd' (at 1 s) have not
    clock.now = MINUTE + 1_000;
    limiter.prune();
    expect(limiter.size).toBe(0);
  });
});

describe('Redis sliding-window limiter without Redis', () => {
  it('lets the fallback decide at once while Redis is unreachable', async () => {
    const client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    cleanup.push(async () => client.disconnect());
    const errors: unknown[] = [];
    const { limiter: fallback } = memory();
    const limiter = new RedisRateLimiter(client, {
      windowMs: MINUTE,
      prefix: 'unused:',
      fallback,
      onError: (error) => errors.push(error),
    });
    const rule = [{ key: 'ip:a', limit: 1 }];
    expect((await limiter.hit(rule)).allowed).toBe(true);
    expect((await limiter.hit(rule)).allowed).toBe(false);
    expect(fallback.size).toBe(1);
    // A command that fails once connected (here: the connection is gone) falls back too.
    Object.defineProperty(client, 'status', { value: 'ready' });
    expect((await limiter.hit([{ key: 'ip:b', limit: 1 }])).allowed).toBe(true);
    expect(fallback.size).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe.skipIf(!REDIS_URL)('Redis sliding-window limiter (REDIS_URL)', () => {
  /** A client once connected: until then the limiter would not ask Redis. */
  const connect = async (): Promise<Redis> => {
    const client = new Redis(REDIS_URL ?? '');
    cleanup.push(() => client.quit());
    if (client.status !== 'ready') await once(client, 'ready');
    return client;
  };
  const prefix = `ufe:test:ratelimit-unit:${Date.now()}-${randomBytes(3).toString('hex')}:`;

  it('shares one count between instances, refuses without recording, and expires its keys', async () => {
    const admin = await connect();
    const instances: RateLimiter[] = await Promise.all(
      [0, 1].map(async () => new RedisRateLimiter(await connect(), { windowMs: MINUTE, prefix })),
    );
    const rules = [
      { key: 'ip:shared', limit: 4 },
      { key: 'user:shared', limit: 10 },
    ];
    for (let i = 0; i < 4; i += 1) expect((await instances[i % 2]?.hit(rules))?.allowed).toBe(true);
    const refused = await instances[0]?.hit(rules);
    expect(refused).toMatchObject({ allowed: false, exceeded: ['ip:shared'] });
    expect(refused?.retryAfterMs).toBeGreaterThan(MINUTE - 5_000);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(MINUTE);
    expect(await admin.zcard(`${prefix}ip:shared`)).toBe(4);
    expect(await admin.zcard(`${prefix}user:shared`)).toBe(4);
    expect(await admin.pttl(`${prefix}ip:shared`)).toBeGreaterThan(MINUTE - 5_000);
    expect((await instances[1]?.hit([{ key: 'ip:other', limit: 4 }]))?.allowed).toBe(true);
  });

  it('slides: a slot frees a window after its hit', async () => {
    const limiter = new RedisRateLimiter(await connect(), { windowMs: 300, prefix });
    const rule = [{ key: 'ip:slide', limit: 2 }];
    expect((await limiter.hit(rule)).allowed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await limiter.hit(rule)).allowed).toBe(true);
    const refused = await limiter.hit(rule);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(160);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 20));
    expect((await limiter.hit(rule)).allowed).toBe(true); // the first hit left the window
    expect((await limiter.hit(rule)).allowed).toBe(false); // the second has not yet
  });
});
