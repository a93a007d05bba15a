import { describe, expect, it } from 'vitest';
import { TokenService, type Identity } from '#internal/auth';
import { VerifiedTokens, type AccessTokens } from '../src/auth/verifiedTokens.js';

const SECRET = 'a router test secret that is long enough for HS256';

/** Counts how often the signature is actually verified. */
function counting(tokens: AccessTokens) {
  let verifications = 0;
  return {
    tokens: {
      fromAuthorization: (header: unknown) => {
        verifications += 1;
        return tokens.fromAuthorization(header);
      },
    },
    verifications: () => verifications,
  };
}

describe('VerifiedTokens', () => {
  it('verifies a token once, then answers from memory until it expires', async () => {
    const service = new TokenService(SECRET, 120);
    const token = await service.sign('user-1', 'access', { sid: 'session-1' });
    const inner = counting(service);
    let now = Date.now();
    const tokens = new VerifiedTokens(inner.tokens, () => now);
    const first = await tokens.fromAuthorization(`Bearer ${token}`);
    expect(first).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
    expect(await tokens.fromAuthorization(`Bearer ${token}`)).toEqual(first);
    expect(inner.verifications()).toBe(1);

    // At its expiry the token is verified afresh (and jose refuses it then).
    now = ((first as Identity).expiresAt ?? 0) * 1000;
    await tokens.fromAuthorization(`Bearer ${token}`);
    expect(inner.verifications()).toBe(2);
  });

  it('never remembers anonymous, invalid or forged values', async () => {
    const service = new TokenService(SECRET, 120);
    const forged = await new TokenService('another secret that is also long enough!!', 120).sign('user-1', 'access');
    const inner = counting(service);
    const tokens = new VerifiedTokens(inner.tokens);
    for (const header of [undefined, '', 'Bearer nonsense', `Bearer ${forged}`, `Bearer ${forged}`]) {
      await tokens.fromAuthorization(header);
    }
    expect(await tokens.fromAuthorization(`Bearer ${forged}`)).toBe('invalid');
    expect(inner.verifications()).toBe(6);
  });
});
