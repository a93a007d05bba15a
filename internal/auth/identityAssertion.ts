import { hkdfSync, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Identity } from './identity.js';

/**
 * A `@fanOut` stream the router's guard approved: this subscription field with these
 * argument values, nothing else. The subgraph serves exactly that under the assertion, so
 * a router that guarded one thing cannot be made to open another.
 */
export interface FanOutScope {
  field: string;
  args: Readonly<Record<string, unknown>>;
}

/** What the caller of a subgraph is, as its assertion says. */
export interface RequestOrigin {
  /** The user the router verified; null when anonymous (and always for fan-out and services). */
  identity: Identity | null;
  /** The client's address as the router saw it, for per-IP limits and audit. */
  clientIp: string | null;
  /** The router subscribing once to a `@fanOut` field for the many subscribers it guards one by one. */
  fanOut?: FanOutScope;
  /** A service calling on its own account (the router's own checks, another subgraph): its name. */
  service?: string;
}

/** The header (HTTP) and `connection_init` key (graphql-ws) carrying an assertion. */
export const IDENTITY_HEADER = 'x-ufe-identity';
export const IDENTITY_PARAM = 'identity';

/** The router's name as an issuer and as a service. */
export const ROUTER = 'router';

const ALG = 'HS256';
/** Short: an assertion copied off the wire is worth 30 seconds at one subgraph. */
const TTL_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;
/** Assertions expire by the wall clock (`exp`): their caches keep the same time. */
const WALL_CLOCK = { now: () => Date.now() };

const issuerOf = (service: string): string => `ufe:${service}`;

/**
 * The key of assertions addressed to `audience` (a subgraph's name), derived from the
 * deployment's secret. The router, which holds the secret, signs for every subgraph with
 * its own key; a subgraph is given only its key (`ASSERTION_KEY`), so it can verify what
 * is addressed to it, sign its own calls as itself, and nothing else: a subgraph that is
 * broken into cannot speak for the router to the others.
 */
export function assertionKey(secret: string, audience: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'ux-flow-engine', `identity-assertion/v2/${audience}`, 32));
}

/**
 * Signs assertions. The router signs, for each subgraph with that subgraph's key, who
 * the caller is; a subgraph signs its own calls to another (`service` only, never a
 * user's identity) with its own key.
 */
export class AssertionSigner {
  private readonly issuer: string;
  /** Signed assertions by audience and origin, reused for half their life: every request needs one. */
  private readonly signed = new LRUCache<string, Promise<string>>({
    max: 10_000,
    ttl: (TTL_SECONDS * 1000) / 2,
    perf: WALL_CLOCK,
  });

  constructor(
    /** Who signs: `router`, or the calling subgraph's name. */
    private readonly signer: string,
    private readonly keyFor: (audience: string) => Uint8Array,
  ) {
    this.issuer = issuerOf(signer);
  }

  /** The router, for every subgraph: the keys derived from `secret`. */
  static router(secret: string): AssertionSigner {
    const keys = new Map<string, Uint8Array>();
    return new AssertionSigner(ROUTER, (audience) => {
      let key = keys.get(audience);
      if (!key) keys.set(audience, (key = assertionKey(secret, audience)));
      return key;
    });
  }

  /** A subgraph calling others as itself, with its own key. */
  static service(name: string, ownKey: Uint8Array): AssertionSigner {
    return new AssertionSigner(name, () => ownKey);
  }

  sign(audience: string, origin: RequestOrigin): Promise<string> {
    if ((origin.fanOut || origin.service) && origin.identity) {
      throw new Error('A fan-out or service assertion carries no identity.');
    }
    if (this.signer !== ROUTER && (origin.identity || origin.fanOut || origin.service !== this.signer)) {
      throw new Error(`${this.signer} may only assert itself.`);
    }
    const key = JSON.stringify([
      audience,
      origin.identity?.userId,
      origin.identity?.sessionId,
      origin.identity?.scopes,
      origin.clientIp,
      origin.fanOut,
      origin.service,
    ]);
    const reused = this.signed.get(key);
    if (reused) return reused;
    const assertion = this.signFresh(audience, origin);
    this.signed.set(key, assertion);
    assertion.catch(() => this.signed.delete(key));
    return assertion;
  }

  private signFresh(audience: string, origin: RequestOrigin): Promise<string> {
    const claims: JWTPayload = {};
    if (origin.fanOut) claims['fan'] = { field: origin.fanOut.field, args: origin.fanOut.args };
    if (origin.service) claims['svc'] = origin.service;
    if (origin.clientIp) claims['ip'] = origin.clientIp;
    if (origin.identity?.scopes?.length) claims['scope'] = origin.identity.scopes.join(' ');
    if (origin.identity?.sessionId) claims['sid'] = origin.identity.sessionId;
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: ALG });
    if (origin.identity) jwt.setSubject(origin.identity.userId);
    return jwt
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(this.keyFor(audience));
  }
}

export interface VerifierKeys {
  /** This subgraph's own key: the router's assertions to it, and its own. */
  own: Uint8Array;
  /** Other services' keys, for a subgraph that takes their calls (users); undefined for an unknown one. */
  peer?: (service: string) => Uint8Array | undefined;
}

/**
 * Verifies what is addressed to one subgraph. Nothing else identifies a caller: a request
 * without a valid assertion for this audience is refused whole, even one that means to be
 * anonymous, so a subgraph answers only the router (and the services it trusts).
 */
export class AssertionVerifier {
  /** Verified assertions until they expire: every request brings one. */
  private readonly verified = new LRUCache<string, RequestOrigin>({ max: 10_000, perf: WALL_CLOCK });

  constructor(
    private readonly audience: string,
    private readonly keys: VerifierKeys,
  ) {}

  /** The asserted origin; null for anything missing, forged, expired or addressed elsewhere. */
  async verify(assertion: unknown): Promise<RequestOrigin | null> {
    if (typeof assertion !== 'string' || assertion.length === 0 || assertion.length > 8192) return null;
    const known = this.verified.get(assertion);
    if (known) return known;
    let payload: JWTPayload;
    try {
      const issuer = decodeJwt(assertion).iss;
      const key = this.keyOf(issuer);
      if (!issuer || !key) return null;
      ({ payload } = await jwtVerify(assertion, key, {
        algorithms: [ALG],
        issuer,
        audience: this.audience,
        requiredClaims: ['jti', 'iat', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
    const origin = originOf(payload);
    if (!origin) return null;
    const ttl = payload.exp === undefined ? 0 : payload.exp * 1000 - Date.now();
    if (ttl > 0) this.verified.set(assertion, origin, { ttl });
    return origin;
  }

  private keyOf(issuer: string | undefined): Uint8Array | undefined {
    if (issuer === issuerOf(ROUTER)) return this.keys.own;
    const service = issuer?.startsWith('ufe:') ? issuer.slice(4) : undefined;
    return service && service !== this.audience ? this.keys.peer?.(service) : undefined;
  }
}

/** The origin a verified payload states; null when its claims contradict each other. */
function originOf(payload: JWTPayload): RequestOrigin | null {
  const fromRouter = payload.iss === issuerOf(ROUTER);
  const service = typeof payload['svc'] === 'string' ? payload['svc'] : undefined;
  const fanOut = fanOutOf(payload['fan']);
  // Only the router speaks for users and opens fan-out streams; another service speaks for itself.
  if (!fromRouter && (service === undefined || payload.iss !== issuerOf(service) || payload.sub || fanOut)) {
    return null;
  }
  if ((service !== undefined || fanOut) && payload.sub !== undefined) return null;
  if (payload['fan'] !== undefined && !fanOut) return null;
  const scope = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
  const sid = typeof payload['sid'] === 'string' ? { sessionId: payload['sid'] } : {};
  return {
    identity: typeof payload.sub === 'string' ? { userId: payload.sub, scopes: scope, ...sid } : null,
    clientIp: typeof payload['ip'] === 'string' ? payload['ip'] : null,
    ...(fanOut ? { fanOut } : {}),
    ...(service !== undefined ? { service } : {}),
  };
}

function fanOutOf(claim: unknown): FanOutScope | undefined {
  if (typeof claim !== 'object' || claim === null) return undefined;
  const { field, args } = claim as Record<string, unknown>;
  if (typeof field !== 'string' || typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  return { field, args: args as Record<string, unknown> };
}
