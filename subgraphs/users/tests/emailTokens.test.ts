// Mailed-link tokens against the real engine in a throw-away database, with a clock the
// test moves: expiry, single use under concurrency, purposes kept apart.
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { createEmailTokenModel, createEmailTokenUseModel } from '../src/emailToken/emailToken.model.js';
import { EMAIL_TOKEN_TTL_MS, EmailTokenService, type EmailTokenStores } from '../src/emailToken/emailToken.service.js';

let db: Connection;
let stores: EmailTokenStores;
let now = Date.now();
let service: EmailTokenService;
let counter = 0;
const userId = (): string => `user-${Date.now()}-${(counter += 1)}`;

beforeAll(async () => {
  db = await connectDatabase(inject('serviceEnv')['MONGODB_URI'] ?? '', `ufe_users_mail_${Date.now()}`, new Registry());
  stores = { tokens: createEmailTokenModel(db), uses: createEmailTokenUseModel(db) };
  await Promise.all(Object.values(stores).map((model) => model.init()));
  service = new EmailTokenService(stores, () => now);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

describe('EmailTokenService', () => {
  it('stores only the hash, and spends a token once', async () => {
    const id = userId();
    const token = await service.issue(id, 'a@example.com', 'verify-email');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await stores.tokens.find({ userId: id }).lean())).not.toContain(token);
    const hash = createHash('sha256').update(token).digest('hex');
    expect(await stores.tokens.findById(hash).lean()).toMatchObject({ userId: id, purpose: 'verify-email' });
    expect(await service.spend(token, 'verify-email')).toEqual({ userId: id, email: 'a@example.com' });
    expect(await service.spend(token, 'verify-email')).toBeNull();
  });

  it('shows a token without spending it, until it is spent', async () => {
    const id = userId();
    const token = await service.issue(id, 'new@example.com', 'change-email');
    expect(await service.peek(token, 'verify-email')).toBeNull();
    expect(await service.peek(token, 'change-email')).toEqual({ userId: id, email: 'new@example.com' });
    expect(await service.spend(token, 'change-email')).toEqual({ userId: id, email: 'new@example.com' });
    expect(await service.peek(token, 'change-email')).toBeNull();
  });

  it('lets exactly one of many concurrent uses win', async () => {
    const token = await service.issue(userId(), 'b@example.com', 'reset-password');
    const results = await Promise.all(Array.from({ length: 8 }, () => service.spend(token, 'reset-password')));
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });

  it('refuses a token of another purpose without spending it', async () => {
    const token = await service.issue(userId(), 'c@example.com', 'verify-email');
    expect(await service.spend(token, 'reset-password')).toBeNull();
    expect(await service.spend(token, 'verify-email')).not.toBeNull();
  });

  it.each([
    ['verify-email', 24 * 3600_000],
    ['reset-password', 3600_000],
    ['change-email', 24 * 3600_000],
    ['reset-two-factor', 24 * 3600_000],
  ] as const)('expires %s tokens after %i ms', async (purpose, ttl) => {
    expect(EMAIL_TOKEN_TTL_MS[purpose]).toBe(ttl);
    const start = now;
    const fresh = await service.issue(userId(), 'd@example.com', purpose);
    const stale = await service.issue(userId(), 'd@example.com', purpose);
    now = start + ttl - 1000;
    expect(await service.spend(fresh, purpose)).not.toBeNull();
    now = start + ttl;
    expect(await service.spend(stale, purpose)).toBeNull();
    now = start;
  });

  it('voids outstanding tokens of one purpose', async () => {
    const id = userId();
    const reset = await service.issue(id, 'e@example.com', 'reset-password');
    const verify = await service.issue(id, 'e@example.com', 'verify-email');
    await service.revokeAll(id, 'reset-password');
    expect(await service.spend(reset, 'reset-password')).toBeNull();
    expect(await service.spend(verify, 'verify-email')).not.toBeNull();
  });

  it('counts the unused links of the last hour', async () => {
    const id = userId();
    const start = now;
    const first = await service.issue(id, 'f@example.com', 'reset-password');
    await service.issue(id, 'f@example.com', 'reset-password');
    await service.issue(id, 'f@example.com', 'verify-email');
    expect(await service.unusedSince(id, 'reset-password', 3600_000)).toBe(2);
    await service.spend(first, 'reset-password');
    expect(await service.unusedSince(id, 'reset-password', 3600_000)).toBe(1);
    now = start + 3600_000;
    expect(await service.unusedSince(id, 'reset-password', 3600_000)).toBe(0);
    now = start;
  });

  it('refuses malformed and unknown tokens', async () => {
    expect(await service.spend('', 'verify-email')).toBeNull();
    expect(await service.spend('a.b', 'verify-email')).toBeNull();
    expect(await service.spend('A'.repeat(43), 'verify-email')).toBeNull();
  });
});
