import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssertionSigner, AssertionVerifier, assertionKey, TokenService } from '#internal/auth';
import { Authenticator, hasExpired } from '../src/auth/authenticate.js';

const SECRET = 'a router test secret that is long enough for HS256';
const tokens = new TokenService(SECRET, 120);
const assertions = AssertionSigner.router(SECRET);
// Sessions are checked against the users subgraph, end to end (test/sessions.e2e.test.ts).
const authenticator = new Authenticator(tokens, assertions, undefined);

afterEach(() => {
  vi.useRealTimers();
});

describe('authenticate', () => {
  it("carries the access token's expiry, for subscriptions that outlive it", async () => {
    const token = await tokens.sign('user-1', 'access');
    const { identity } = await authenticator.authenticate(`Bearer ${token}`, '10.0.0.1');
    expect(identity).toMatchObject({ userId: 'user-1', expiresAt: decodeJwt(token).exp });
    expect(hasExpired(identity)).toBe(false);
    expect(hasExpired(identity, Date.now() + 121_000)).toBe(true);
  });

  it('is anonymous without a token, and never expires then', async () => {
    const { identity } = await authenticator.authenticate(undefined, undefined);
    expect(identity).toBeNull();
    expect(hasExpired(identity)).toBe(false);
  });

  it('re-signs its identity assertion before the 30 s one expires, for long-lived subscriptions', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await tokens.sign('user-1', 'access');
    const context = await authenticator.authenticate(`Bearer ${token}`, '10.0.0.1');
    const first = context.originAssertion('flows');
    expect(context.originAssertion('flows')).toBe(first);
    vi.advanceTimersByTime(16_000);
    // lru-cache reads the clock at most once a millisecond (of real time).
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = context.originAssertion('flows');
    expect(later).not.toBe(first);
    const flows = new AssertionVerifier('flows', { own: assertionKey(SECRET, 'flows') });
    expect((await flows.verify(await later))?.identity?.userId).toBe('user-1');
  });
});
