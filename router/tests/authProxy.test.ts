// The router's `/auth/*` proxy against a stand-in users subgraph: what it forwards, what it
// replaces, and what comes back.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssertionSigner, AssertionVerifier, assertionKey } from '#internal/auth';
import { createLogger } from '#internal/logger';
import { authProxy } from '../src/http/authProxy.js';

const SECRET = 'a test secret that is long enough for HS256';
const assertions = AssertionSigner.router(SECRET);
const users = new AssertionVerifier('users', { own: assertionKey(SECRET, 'users') });
let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | undefined;
let upstream: Server;
let router: Server;
let routerUrl: string;

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      res.setHeader('set-cookie', ['a=1; Path=/auth; HttpOnly', 'b=2; Path=/auth']);
      res.writeHead(303, { location: 'http://app.example.com/#login_code=x', 'x-powered-by': 'Express' }).end();
    });
  });
  const usersUrl = `${await listen(upstream)}/graphql`;
  const app = express();
  app.disable('x-powered-by'); // as the router does: what remains would be the upstream's
  app.use('/auth', authProxy(usersUrl, assertions, createLogger('router-test', 'silent')));
  router = createServer(app);
  routerUrl = await listen(router);
});
afterAll(async () => {
  await Promise.all([upstream, router].map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('authProxy', () => {
  it('forwards method, path, query and body, and returns status, Location and every Set-Cookie', async () => {
    const response = await fetch(`${routerUrl}/auth/saml/w1/acs?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'ufe_sso=sealed' },
      body: 'SAMLResponse=abc',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://app.example.com/#login_code=x');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/auth; HttpOnly', 'b=2; Path=/auth']);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(seen).toMatchObject({ method: 'POST', url: '/auth/saml/w1/acs?x=1', body: 'SAMLResponse=abc' });
    expect(seen?.headers['cookie']).toBe('ufe_sso=sealed');
  });

  it("replaces the client's identity header with its own assertion of the address, and drops tokens", async () => {
    const forged = await assertions.sign('users', { identity: { userId: 'victim' }, clientIp: '203.0.113.9' });
    await fetch(`${routerUrl}/auth/oidc`, {
      headers: { 'x-ufe-identity': forged, authorization: 'Bearer token' },
      redirect: 'manual',
    });
    expect(seen?.headers['authorization']).toBeUndefined();
    const origin = await users.verify(seen?.headers['x-ufe-identity']);
    expect(origin?.identity).toBeNull();
    expect(origin?.clientIp).toMatch(/127\.0\.0\.1/);
  });

  it('refuses dot segments and encoded slashes', async () => {
    seen = undefined;
    for (const path of ['/auth/..%2Fgraphql', '/auth/%2e%2e/metrics']) {
      expect((await fetch(`${routerUrl}${path}`)).status).toBe(404);
    }
    expect(seen).toBeUndefined();
  });
});
