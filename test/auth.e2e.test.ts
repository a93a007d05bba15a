// Who the router believes, and what the subgraphs believe: forged, expired and misplaced
// credentials are refused at the router, and subgraphs trust only the router's assertion.
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { AUDIENCE, IDENTITY_HEADER, ISSUER } from '#internal/auth';
import { deferred, errorCodes, gql, signUp, wsClient } from '#internal/testkit';

const url = inject('routerUrl');
const secret = new TextEncoder().encode(inject('serviceEnv')['JWT_SECRET']);
const subgraphs = inject('subgraphUrls');
const ME = '{ me { id } }';

interface Claims {
  /** The session the token is of: a token of no live session is refused. */
  sid?: string;
  alg?: string;
  key?: Uint8Array;
  issuer?: string;
  audience?: string;
  expiresAt?: number;
  typ?: string;
}

/** An access token for `userId`, correct except for what `claims` changes. */
function token(userId: string, claims: Claims = {}): Promise<string> {
  return new SignJWT({ typ: claims.typ ?? 'access', ...(claims.sid ? { sid: claims.sid } : {}) })
    .setProtectedHeader({ alg: claims.alg ?? 'HS256' })
    .setSubject(userId)
    .setIssuer(claims.issuer ?? ISSUER)
    .setAudience(claims.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.expiresAt ?? '5m')
    .sign(claims.key ?? secret);
}

async function status(response: Promise<Response>): Promise<[number, unknown]> {
  const result = await response;
  return [result.status, await result.json()];
}

describe('tokens at the router', () => {
  it('accepts a correctly signed token of a live session (the baseline for the refusals below)', async () => {
    const user = await signUp(url);
    const sid = String(decodeJwt(user.token)['sid']);
    expect((await gql(url, ME, {}, await token(user.id, { sid }))).data).toEqual({ me: { id: user.id } });
  });

  it('refuses a correctly signed token of no session, or of a session that is not live', async () => {
    const user = await signUp(url);
    for (const sid of [undefined, '0123456789abcdef01234567']) {
      const response = await gql(url, ME, {}, await token(user.id, sid ? { sid } : {}));
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it.each<[string, (userId: string) => Promise<string>]>([
    [
      'alg none',
      async (userId) =>
        new UnsecuredJWT({ typ: 'access' }).setSubject(userId).setIssuer(ISSUER).setAudience(AUDIENCE).encode(),
    ],
    ['another key', (userId) => token(userId, { key: new TextEncoder().encode('not the secret of this deployment') })],
    ['another algorithm (HS512)', (userId) => token(userId, { alg: 'HS512' })],
    ['an expired token', (userId) => token(userId, { expiresAt: Math.floor(Date.now() / 1000) - 60 })],
    ['another issuer', (userId) => token(userId, { issuer: 'someone-else' })],
    ['another audience', (userId) => token(userId, { audience: 'another-api' })],
    ['a refresh token', (userId) => token(userId, { typ: 'refresh' })],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_case, make) => {
    const user = await signUp(url);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await make(user.id)}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(response.status).toBe(401);
    expect(errorCodes((await response.json()) as { errors: [] })).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses credentials in the query string, over HTTP and WebSocket', async () => {
    const user = await signUp(url);
    const [code, body] = await status(fetch(`${url}?access_token=${user.token}&query=${encodeURIComponent(ME)}`));
    expect(code).toBe(400);
    expect(JSON.stringify(body)).toContain('send them in the Authorization header');
    const closed = deferred<number>();
    const client = wsClient(`${url}?token=${user.token}`);
    client.on('closed', (event) => closed.resolve((event as { code: number }).code));
    client.subscribe({ query: ME }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    expect(await closed.promise).not.toBe(1000);
    await client.dispose();
  });

  it('closes a WebSocket whose connection_init carries an invalid token', async () => {
    const closed = deferred<number>();
    const client = wsClient(url, 'forged.token.value');
    client.on('closed', (event) => closed.resolve((event as { code: number }).code));
    client.subscribe({ query: ME }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    expect(await closed.promise).toBe(4403);
    await client.dispose();
  });
});

describe('subgraphs answer only the router', () => {
  const usersUrl = subgraphs['users'] ?? '';
  const flowsUrl = subgraphs['flows'] ?? '';

  it('refuses a direct request, even with a valid user token', async () => {
    const user = await signUp(url);
    const me = await fetch(usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(me.status).toBe(401);
    expect(errorCodes((await me.json()) as { errors: [] })).toEqual(['UNAUTHENTICATED']);
    const created = await gql(flowsUrl, 'mutation { createFlow(input: { name: "x" }) { id } }', {}, user.token);
    expect(errorCodes(created)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses forged identity assertions', async () => {
    const user = await signUp(url);
    // A user token in the assertion header, and an assertion signed with the user-token key.
    for (const forged of [user.token, await token(user.id, { issuer: 'ufe:router', audience: 'users' })]) {
      const response = await fetch(usersUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: forged },
        body: JSON.stringify({ query: ME }),
      });
      expect(response.status).toBe(401);
    }
  });
});
