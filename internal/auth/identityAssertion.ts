import { hkdfSync } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Identity } from './index.js';

/** The header (HTTP) and `connection_init` key (graphql-ws) carrying the router's assertion. */
export const IDENTITY_HEADER = 'x-ufe-identity';
export const IDENTITY_PARAM = 'identity';

const ISSUER = 'ufe-router';
const AUDIENCE = 'ufe-subgraphs';
const ALG = 'HS256';
const TTL_SECONDS = 60;

/**
 * The identity the router verified, signed by the router for the subgraphs. Subgraphs
 * trust only this: a request that reaches a subgraph directly, even with a valid user
 * token, is anonymous. The key is derived from the shared secret with its own label, so
 * a user token can never pass for an assertion or the other way round.
 */
export class IdentityAssertions {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'ux-flow-engine', 'router-identity-assertion', 32));
  }

  sign(identity: Identity): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: ALG })
      .setSubject(identity.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(this.key);
  }

  /** The asserted identity, or null for anything missing, forged or expired. */
  async verify(assertion: unknown): Promise<Identity | null> {
    if (typeof assertion !== 'string' || assertion.length === 0) return null;
    try {
      const { payload } = await jwtVerify(assertion, this.key, {
        algorithms: [ALG],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      return typeof payload.sub === 'string' ? { userId: payload.sub } : null;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}
