import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Identity } from './identity.js';

export type { Identity } from './identity.js';

export const ISSUER = 'ux-flow-engine';
export const AUDIENCE = 'ux-flow-engine';
const ALG = 'HS256';

export type TokenKind = 'access' | 'refresh';

/** Signs and verifies the project's JWTs with one pinned algorithm. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly accessTtlSeconds = 15 * 60,
    private readonly refreshTtlSeconds = 30 * 24 * 3600,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(userId: string, kind: TokenKind, extra: Record<string, string> = {}): Promise<string> {
    const ttl = kind === 'access' ? this.accessTtlSeconds : this.refreshTtlSeconds;
    return new SignJWT({ ...extra, typ: kind })
      .setProtectedHeader({ alg: ALG })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime(`${ttl}s`)
      .sign(this.key);
  }

  /** Returns the identity, or null for any token that is not a valid one of `kind`. */
  async verify(token: string, kind: TokenKind): Promise<(Identity & { claims: Record<string, unknown> }) | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      if (payload['typ'] !== kind || typeof payload.sub !== 'string') return null;
      return { userId: payload.sub, claims: payload };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }

  /**
   * Reads an `Authorization` value: `anonymous` when there is none, the identity for a
   * valid `Bearer <access token>`, `invalid` for anything else (malformed, forged,
   * expired, `alg: none`, a refresh token…).
   */
  async fromAuthorization(header: unknown): Promise<Identity | 'anonymous' | 'invalid'> {
    if (header === undefined || header === null || header === '') return 'anonymous';
    if (typeof header !== 'string') return 'invalid';
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match?.[1]) return 'invalid';
    const verified = await this.verify(match[1], 'access');
    if (!verified) return 'invalid';
    const scope = verified.claims['scope'];
    const sid = verified.claims['sid'];
    const exp = verified.claims['exp'];
    return {
      userId: verified.userId,
      scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
      ...(typeof sid === 'string' ? { sessionId: sid } : {}),
      ...(typeof exp === 'number' ? { expiresAt: exp } : {}),
    };
  }
}

export {
  AssertionSigner,
  AssertionVerifier,
  assertionKey,
  IDENTITY_HEADER,
  IDENTITY_PARAM,
  ROUTER,
  type FanOutScope,
  type RequestOrigin,
  type VerifierKeys,
} from './identityAssertion.js';
