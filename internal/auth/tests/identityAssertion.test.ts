import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssertionSigner, AssertionVerifier, assertionKey, type RequestOrigin } from '#internal/auth';

const SECRET = 'a deployment secret that is long enough';
const origin: RequestOrigin = {
  identity: { userId: 'u1', scopes: ['flows:read'], sessionId: 's1' },
  clientIp: '203.0.113.7',
};
const router = AssertionSigner.router(SECRET);
const verifierOf = (audience: string, peers: string[] = []) =>
  new AssertionVerifier(audience, {
    own: assertionKey(SECRET, audience),
    peer: (service) => (peers.includes(service) ? assertionKey(SECRET, service) : undefined),
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('assertions', () => {
  it('reuses one signed assertion per audience and origin, and tells them apart', async () => {
    const first = await router.sign('flows', origin);
    expect(await router.sign('flows', { ...origin })).toBe(first);
    expect(await router.sign('flows', { ...origin, clientIp: '203.0.113.8' })).not.toBe(first);
    expect(await router.sign('users', origin)).not.toBe(first);
    const flows = verifierOf('flows');
    expect(await flows.verify(first)).toEqual(origin);
    // Verified once, answered the same from then on.
    expect(await flows.verify(first)).toEqual(origin);
  });

  it('is bound to its audience: an assertion for one subgraph is worth nothing at another', async () => {
    const forFlows = await router.sign('flows', origin);
    expect(await verifierOf('users').verify(forFlows)).toBeNull();
    expect(await verifierOf('knowledge').verify(forFlows)).toBeNull();
  });

  it('refuses anything missing, malformed, from another secret or expired', async () => {
    const flows = verifierOf('flows');
    expect(await flows.verify(undefined)).toBeNull();
    expect(await flows.verify('not a jwt')).toBeNull();
    expect(await flows.verify(await AssertionSigner.router('another secret').sign('flows', origin))).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    const old = await AssertionSigner.router(SECRET).sign('flows', { identity: null, clientIp: '198.51.100.1' });
    vi.advanceTimersByTime(36_000);
    expect(await flows.verify(old)).toBeNull();
  });

  it('carries a jti and a short lifetime', async () => {
    const { decodeJwt } = await import('jose');
    const claims = decodeJwt(await AssertionSigner.router(SECRET).sign('billing', origin));
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(30);
    expect(claims.aud).toBe('billing');
  });

  it('scopes a fan-out assertion to one field and its arguments, without an identity', async () => {
    const fanOut = { field: 'flowEvents', args: { flowId: 'f1' } };
    const assertion = await router.sign('flows', { identity: null, clientIp: null, fanOut });
    expect(await verifierOf('flows').verify(assertion)).toEqual({ identity: null, clientIp: null, fanOut });
    expect(() => router.sign('flows', { ...origin, fanOut })).toThrow(/no identity/);
  });

  it('lets a subgraph call users as itself only, with its own key', async () => {
    const flows = AssertionSigner.service('flows', assertionKey(SECRET, 'flows'));
    const users = verifierOf('users', ['flows', 'knowledge']);
    const call = await flows.sign('users', { identity: null, clientIp: null, service: 'flows' });
    expect(await users.verify(call)).toEqual({ identity: null, clientIp: null, service: 'flows' });
    // Not as a user, not as another service, not as the router.
    expect(() => flows.sign('users', origin)).toThrow(/only assert itself/);
    expect(() => flows.sign('users', { identity: null, clientIp: null, service: 'knowledge' })).toThrow(
      /only assert itself/,
    );
    const posingAsRouter = await new SignJWT({ sub: 'victim' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('ufe:router')
      .setAudience('users')
      .setJti('x')
      .setIssuedAt()
      .setExpirationTime('30s')
      .sign(assertionKey(SECRET, 'flows'));
    expect(await users.verify(posingAsRouter)).toBeNull();
    // A service users does not take calls from.
    const billing = AssertionSigner.service('billing', assertionKey(SECRET, 'billing'));
    expect(
      await users.verify(await billing.sign('users', { identity: null, clientIp: null, service: 'billing' })),
    ).toBeNull();
  });
});
