import { request, type IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { IDENTITY_HEADER, type AssertionSigner } from '#internal/auth';
import type { Logger } from '#internal/logger';

/** Hop-by-hop headers (RFC 9110 §7.6.1) end at each hop; `host` is the upstream's own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

const UPSTREAM_TIMEOUT_MS = 30_000;

function forwardable(headers: IncomingHttpHeaders, drop: readonly string[]): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !drop.includes(name)) kept[name] = value;
  }
  return kept;
}

/**
 * Proxies the browser sign-in routes (`/auth/*`: provider redirects, callbacks, the SAML
 * ACS) to the users subgraph, so that every URL a provider knows is the router's public
 * one. Request and response stream through unchanged (bodies, `Set-Cookie`, `Location`),
 * except: the client's own `x-ufe-identity` (a forgery) and `Authorization` (nothing
 * there needs a token, and raw tokens never go to subgraphs) are dropped, and the router
 * adds its signed assertion of the client's address, as for GraphQL requests.
 *
 * @param usersUrl the users subgraph's GraphQL URL; its origin receives the requests.
 */
export function authProxy(usersUrl: string, assertions: AssertionSigner, logger: Logger): RequestHandler {
  const upstream = new URL(usersUrl);
  return (req, res, next) => {
    // Only `/auth/…` itself: no dot segments or encoded slashes that the other side might resolve elsewhere.
    if (/\/\.\.?(\/|$)|%2e|%2f|%5c/i.test(req.path)) {
      res.status(404).type('text/plain').send('Not found.\n');
      return;
    }
    assertions
      .sign('users', { identity: null, clientIp: req.ip ?? null })
      .then((assertion) => {
        const proxied = request(
          {
            protocol: upstream.protocol,
            hostname: upstream.hostname,
            port: upstream.port,
            method: req.method,
            // `originalUrl`: the mount path (`/auth`) is part of the route on the other side too.
            path: req.originalUrl,
            headers: {
              ...forwardable(req.headers, [IDENTITY_HEADER, 'authorization']),
              [IDENTITY_HEADER]: assertion,
            },
            timeout: UPSTREAM_TIMEOUT_MS,
          },
          (response) => {
            res.status(response.statusCode ?? 502);
            for (const [name, value] of Object.entries(forwardable(response.headers, ['x-powered-by']))) {
              if (value !== undefined) res.setHeader(name, value);
            }
            response.pipe(res);
          },
        );
        proxied.on('timeout', () => proxied.destroy(new Error('users subgraph timed out')));
        proxied.on('error', (error) => {
          logger.warn({ err: error, path: req.path }, 'auth proxy: users subgraph unreachable');
          if (!res.headersSent) res.status(502).type('text/plain').send('Sign-in is unavailable; try again.\n');
          else res.destroy();
        });
        req.pipe(proxied);
      })
      .catch(next);
  };
}
