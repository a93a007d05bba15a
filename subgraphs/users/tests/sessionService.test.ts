// Refresh-token rotation on its own, against the real engine in a throw-away database:
// many concurrent exchanges of one token in one process, and what a forged token may not do.
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TokenService } from '#internal/auth';
import { connectDatabase } from '#internal/db';
import { createRefreshTokenModel, createRefreshTokenUseModel } from '../src/session/refreshToken.model.js';
import { createSessionModel } from '../src/session/session.model.js';
import { SessionService, type SessionStores } from '../src/session/session.service.js';

const tokens = new TokenService('a test secret that is long enough for HS256');
let db: Connection;
let stores: SessionStores;
let sessions: SessionService;
let counter = 0;
const userId = (): string => `user-${Date.now()}-${(counter += 1)}`;

beforeAll(async () => {
  db = await connectDatabase(
    inject('serviceEnv')['MONGODB_URI'] ?? '',
    `ufe_users_sessions_${Date.now()}`,
    new Registry(),
  );
  stores = {
    sessions: createSessionModel(db),
    refreshTokens: createRefreshTokenModel(db),
    refreshTokenUses: createRefreshTokenUseModel(db),
  };
  await Promise.all(Object.values(stores).map((model) => model.init()));
  sessions = new SessionService(stores, tokens);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

describe('SessionService', () => {
  it('puts the session id in the access token as sid', async () => {
    const started = await sessions.start(userId(), '192.0.2.1');
    const verified = await tokens.verify(started.accessToken, 'access');
    expect(verified?.claims['sid']).toBe(started.sessionId);
    expect(started.refreshToken.startsWith(`${started.sessionId}.`)).toBe(true);
    // Only the secret's hash is stored.
    const secret = started.refreshToken.split('.')[1] ?? '';
    const hash = createHash('sha256').update(secret).digest('hex');
    expect(await stores.refreshTokens.findById(hash).lean()).toMatchObject({ sessionId: started.sessionId });
    expect(JSON.stringify(await stores.refreshTokens.find().lean())).not.toContain(secret);
  });

  it('lets exactly one of 10 concurrent rotations of one token win, and the others revoke the session', async () => {
    const user = userId();
    const started = await sessions.start(user, null);
    const results = await Promise.all(Array.from({ length: 10 }, () => sessions.rotate(started.refreshToken, null)));
    const winners = results.filter((result) => result.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'reused').length).toBeGreaterThanOrEqual(1);
    const winner = winners[0];
    if (!winner?.ok) throw new Error('no winner');
    expect(await sessions.rotate(winner.tokens.refreshToken, null)).toEqual({ ok: false, reason: 'invalid' });
    expect(await sessions.list(user, 10)).toEqual([]);
  });

  it('does not let a forged token for a known session revoke it', async () => {
    const user = userId();
    const started = await sessions.start(user, null);
    for (const token of [`${started.sessionId}.${'A'.repeat(43)}`, `${started.sessionId}.x`, 'a.b.c']) {
      expect(await sessions.rotate(token, null)).toEqual({ ok: false, reason: 'invalid' });
    }
    const rotated = await sessions.rotate(started.refreshToken, '192.0.2.2');
    expect(rotated.ok).toBe(true);
    const [listed] = await sessions.list(user, 10);
    expect(listed?.ip).toBe('192.0.2.2');
  });

  it("revokes only the user's own session, and revokeAll keeps the one asked", async () => {
    const owner = userId();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => sessions.start(owner, null)));
    if (!a || !b || !c) throw new Error('no sessions');
    expect(await sessions.revoke(userId(), a.sessionId)).toBe(false);
    expect(await sessions.rotate(a.refreshToken, null)).toMatchObject({ ok: true });
    await sessions.revokeAll(owner, b.sessionId);
    expect((await sessions.list(owner, 10)).map((session) => session.id)).toEqual([b.sessionId]);
    expect(await stores.refreshTokens.countDocuments({ sessionId: { $in: [a.sessionId, c.sessionId] } })).toBe(0);
    expect(await sessions.rotate(c.refreshToken, null)).toEqual({ ok: false, reason: 'invalid' });
  });
});
