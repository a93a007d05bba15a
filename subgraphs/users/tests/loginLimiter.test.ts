// The log-in limiter on its own, against the real engine in a throw-away database, with
// made-up addresses and a controllable clock: the per-address limit cannot be tested
// through the router, where the whole suite shares 127.0.0.1.
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../../internal/db/index.js';
import { AppError } from '../../../internal/errors/index.js';
import { createLoginAttemptModel, type LoginAttemptModel } from '../src/auth/loginAttempt.model.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter } from '../src/auth/loginLimiter.js';

const WINDOW_MS = DEFAULT_LOGIN_LIMITS.windowSeconds * 1000;

let db: Connection;
let attempts: LoginAttemptModel;
let clock: number;
let limiter: LoginLimiter;
let counter = 0;
const email = (): string => `limited-${(counter += 1)}@example.com`;

beforeAll(async () => {
  db = await connectDatabase(
    inject('serviceEnv')['MONGODB_URI'] ?? '',
    `ufe_users_limiter_${Date.now()}`,
    new Registry(),
  );
  attempts = createLoginAttemptModel(db);
  await attempts.init();
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});
beforeEach(() => {
  clock = Date.parse('2030-01-01T00:00:00Z') + (counter += 1) * 10 * WINDOW_MS;
  limiter = new LoginLimiter(attempts, DEFAULT_LOGIN_LIMITS, () => clock);
});

/** The RATE_LIMITED error's retryAfterSeconds, or null when the attempt was let through (and then failed). */
async function tryWrong(account: string, ip: string | null): Promise<number | null> {
  try {
    const attempt = await limiter.begin(account, ip);
    await attempt.failed();
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || error.extensions.code !== 'RATE_LIMITED') throw error;
    return error.extensions['retryAfterSeconds'] as number;
  }
}

describe('LoginLimiter', () => {
  it('uses the limits of the issue: 5 per account, at least 20 per address, in 15 minutes', () => {
    expect(DEFAULT_LOGIN_LIMITS.perAccount).toBe(5);
    expect(DEFAULT_LOGIN_LIMITS.perIp).toBeGreaterThanOrEqual(20);
    expect(DEFAULT_LOGIN_LIMITS.windowSeconds).toBe(15 * 60);
  });

  it('refuses an account after 5 failures, from any address', async () => {
    const account = email();
    for (let i = 0; i < 5; i += 1) expect(await tryWrong(account, `198.51.100.${i}`)).toBeNull();
    expect(await tryWrong(account, '198.51.100.99')).toBe(15 * 60);
    // Another account from the same address is fine.
    expect(await tryWrong(email(), '198.51.100.0')).toBeNull();
  });

  it('refuses an address after perIp failures, whatever the accounts', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.perIp; i += 1) {
      expect(await tryWrong(email(), ip), `attempt ${i + 1}`).toBeNull();
    }
    expect(await tryWrong(email(), ip)).toBe(15 * 60);
    await expect(limiter.begin(email(), ip)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    // Another address is not affected.
    expect(await tryWrong(email(), '203.0.113.8')).toBeNull();
  });

  it("forgets the account's failures on success, but not the address's", async () => {
    const account = email();
    const ip = '192.0.2.10';
    for (let i = 0; i < 4; i += 1) expect(await tryWrong(account, ip)).toBeNull();
    await (await limiter.begin(account, ip)).succeeded();
    for (let i = 0; i < 4; i += 1) expect(await tryWrong(account, ip)).toBeNull();
    expect(await attempts.countDocuments({ key: `ip:${ip}` })).toBe(8);
  });

  it('slides the window: each failure counts for 15 minutes, and retryAfterSeconds says when the oldest leaves', async () => {
    const account = email();
    const start = clock;
    for (let i = 0; i < 5; i += 1) {
      clock = start + i * 60_000;
      expect(await tryWrong(account, '192.0.2.20')).toBeNull();
    }
    clock = start + 5 * 60_000;
    expect(await tryWrong(account, '192.0.2.20')).toBe(10 * 60);
    // A refused attempt does not count: the wait does not grow.
    clock = start + WINDOW_MS - 1_000;
    expect(await tryWrong(account, '192.0.2.20')).toBe(1);
    clock = start + WINDOW_MS;
    expect(await tryWrong(account, '192.0.2.20')).toBeNull();
    // That one counts again, and the second oldest still does.
    expect(await tryWrong(account, '192.0.2.20')).toBe(60);
  });

  it('lets at most 5 of a burst of concurrent attempts on one account through', async () => {
    const account = email();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => tryWrong(account, `192.0.2.${100 + i}`)));
    const through = results.filter((result) => result === null).length;
    // Each attempt counts those recorded before it, in flight or failed: a burst may even
    // be refused whole (when all records land before any count), never let through.
    expect(through).toBeLessThanOrEqual(5);
    expect(await tryWrong(account, '192.0.2.200')).toEqual(through === 5 ? 15 * 60 : null);
  });

  it('counts unknown addresses together', async () => {
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.perIp; i += 1) expect(await tryWrong(email(), null)).toBeNull();
    expect(await tryWrong(email(), null)).toBe(15 * 60);
  });
});
