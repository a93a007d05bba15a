import { hkdfSync } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Identity } from './index.js';

/** What the router tells a subgraph about a request: who (if anyone) and from where. */
export interface RequestOrigin {
  identity: Identity | null;
  /** The client's address as the router saw it, for per-IP limits and audit. */
  clientIp: string | null;
  /**
   * The router itself, subscribing once to a `@fanOut` field for many subscribers it
   * authorizes one by one with the field's guard. Carries no identity: anywhere else it
   * is anonymous.
   */
  fanOut?: boolean;
}

const UNKNOWN_ORIGIN: RequestOrigin = { identity: null, clientIp: null };

/** The header (HTTP) and `connection_init` key (graphql-ws) carrying the router's assertion. */
export const IDENTITY_HEADER = 'x-ufe-identity';
export const IDENTITY_PARAM = 'identity';

const ISSUER = 'ufe-router';
const AUDIENCE = 'ufe-subgraphs';
const ALG = 'HS256';
const TTL_SECONDS = 60;
/** Assertions expire by the wall clock (`exp`): their caches keep the same time. */
const WALL_CLOCK = { now: () => Date.now() };

/**
 * The identity the router verified (and the client's address), signed by the router for
 * the subgraphs. Subgraphs trust only this: a request that reaches a subgraph directly,
 * even with a valid user token, is anonymous. The key is derived from the shared secret with its own label, so
 * a user token can never pass for an assertion or the other way round.
 */
export class IdentityAssertions {
  private readonly key: Uint8Array;
  /** Signed assertions by origin, reused for half their life: every request needs one. */
  private readonly signed = new LRUCache<string, Promise<string>>({
    max: 10_000,
    ttl: (TTL_SECONDS * 1000) / 2,
    perf: WALL_CLOCK,
  });
  /** Verified assertions until they expire: every request brings one. */
  private readonly verified = new LRUCache<string, RequestOrigin>({ max: 10_000, perf: WALL_CLOCK });

  constructor(secret: string) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'ux-flow-engine', 'router-identity-assertion', 32));
  }

  sign(origin: RequestOrigin): Promise<string> {
    if (origin.fanOut && origin.identity) throw new Error('A fan-out assertion carries no identity.');
    const key = JSON.stringify([
      origin.identity?.userId,
      origin.identity?.sessionId,
      origin.identity?.scopes,
      origin.clientIp,
      origin.fanOut,
    ]);
    const reused = this.signed.get(key);
    if (reused) return reused;
    const assertion = this.signFresh(origin);
    this.signed.set(key, assertion);
    assertion.catch(() => this.signed.delete(key));
    return assertion;
  }

  private signFresh(origin: RequestOrigin): Promise<string> {
    const claims: Record<string, string | boolean> = {};
    if (origin.fanOut) claims['fan'] = true;
    if (origin.clientIp) claims['ip'] = origin.clientIp;
    if (origin.identity?.scopes?.length) claims['scope'] = origin.identity.scopes.join(' ');
    if (origin.identity?.sessionId) claims['sid'] = origin.identity.sessionId;
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: ALG });
    if (origin.identity) jwt.setSubject(origin.identity.userId);
    return jwt
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(this.key);
  }

  /** The asserted origin; anonymous and unknown for anything missing, forged or expired. */
  async verify(assertion: unknown): Promise<RequestOrigin> {
    if (typeof assertion !== 'string' || assertion.length === 0) return UNKNOWN_ORIGIN;
    const known = this.verified.get(assertion);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(assertion, this.key, {
        algorithms: [ALG],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const scope = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
      const sid = typeof payload['sid'] === 'string' ? { sessionId: payload['sid'] } : {};
      const origin: RequestOrigin = {
        identity: typeof payload.sub === 'string' ? { userId: payload.sub, scopes: scope, ...sid } : null,
        clientIp: typeof payload['ip'] === 'string' ? payload['ip'] : null,
        ...(payload['fan'] === true && payload.sub === undefined ? { fanOut: true } : {}),
      };
      const ttl = payload.exp === undefined ? 0 : payload.exp * 1000 - Date.now();
      if (ttl > 0) this.verified.set(assertion, origin, { ttl });
      return origin;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return UNKNOWN_ORIGIN;
      throw error;
    }
  }
}
