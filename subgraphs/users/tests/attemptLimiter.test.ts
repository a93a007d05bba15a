// The attempt limiter and its log-in and sign-up rules on their own, against the real
// engine in a throw-away database, with made-up addresses and a controllable clock: the
// per-address limits cannot be tested through the suite's router, where every test file
// shares 127.0.0.1.
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { AppError } from '#internal/errors';
import { createAttemptModel, type AttemptModel } from '../src/auth/attempt.model.js';
import { AttemptLimiter } from '../src/auth/attemptLimiter.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter } from '../src/auth/loginLimiter.js';
import { DEFAULT_SIGNUP_LIMITS, SignUpLimiter } from '../src/auth/signUpLimiter.js';

const WINDOW_MS = DEFAULT_LOGIN_LIMITS.windowSeconds * 1000;

let db: Connection;
let attempts: AttemptModel;
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
  attempts = createAttemptModel(db);
  await attempts.init();
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});
beforeEach(() => {
  clock = Date.parse('2030-01-01T00:00:00Z') + (counter += 1) * 10 * WINDOW_MS;
  limiter = new LoginLimiter(new AttemptLimiter(attempts, () => clock), DEFAULT_LOGIN_LIMITS);
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

describe('SignUpLimiter', () => {
  /** The RATE_LIMITED error's retryAfterSeconds, or null when the sign-up was let through. */
  async function trySignUp(signUps: SignUpLimiter, address: string, ip: string): Promise<number | null> {
    try {
      await signUps.count(address, ip);
      return null;
    } catch (error) {
      if (!(error instanceof AppError) || error.extensions.code !== 'RATE_LIMITED') throw error;
      return error.extensions['retryAfterSeconds'] as number;
    }
  }
  const signUps = () => new SignUpLimiter(new AttemptLimiter(attempts, () => clock));

  it('counts every sign-up: 10 an hour from one client address, 5 an hour of one email', async () => {
    expect(DEFAULT_SIGNUP_LIMITS).toEqual({ perIp: 10, perAddress: 5 });
    const limiter = signUps();
    const ip = '198.51.100.50';
    for (let i = 0; i < 10; i += 1) expect(await trySignUp(limiter, email(), ip)).toBeNull();
    expect(await trySignUp(limiter, email(), ip)).toBe(3600);
    const address = email();
    for (let i = 0; i < 5; i += 1) expect(await trySignUp(limiter, address, `198.51.100.${60 + i}`)).toBeNull();
    expect(await trySignUp(limiter, address, '198.51.100.70')).toBe(3600);
    clock += 3600_000;
    expect(await trySignUp(limiter, address, ip)).toBeNull();
  });

  it('turns a limit off at 0', async () => {
    const limiter = new SignUpLimiter(new AttemptLimiter(attempts, () => clock), { perIp: 0, perAddress: 2 });
    const address = email();
    expect(await trySignUp(limiter, address, '192.0.2.90')).toBeNull();
    expect(await trySignUp(limiter, address, '192.0.2.90')).toBeNull();
    expect(await trySignUp(limiter, address, '192.0.2.91')).toBe(3600);
    for (let i = 0; i < 20; i += 1) expect(await trySignUp(limiter, email(), '192.0.2.92')).toBeNull();
    expect(await attempts.countDocuments({ key: 'signup-ip:192.0.2.92' })).toBe(0);
  });
});
