import { GraphQLError } from 'graphql';
import type { Identity, IdentityAssertions, TokenService } from '../../../internal/auth/index.js';
import { ErrorCode } from '../../../internal/errors/index.js';
import type { RouterContext } from '../context.js';

export const invalidToken = (): GraphQLError =>
  new GraphQLError('The access token is invalid or expired; refresh it or sign in again.', {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) },
    },
  });

/** Ends a subscription that outlived the token it was authorized with. */
export const tokenExpired = (): GraphQLError =>
  new GraphQLError('The access token has expired; reconnect with a fresh token to keep receiving events.', {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });

/** Whether the token behind `identity` has expired, as jose decides it (`exp <= now`, whole seconds). */
export function hasExpired(identity: Identity | null, now = Date.now()): boolean {
  return identity?.expiresAt !== undefined && identity.expiresAt <= Math.floor(now / 1000);
}

/**
 * An assertion lives 60 s (`IdentityAssertions`); a subscription keeps its context for
 * every event's entity fetches, so a cached one is re-signed well before it expires.
 */
const ASSERTION_REUSE_MS = 30_000;

/**
 * Verifies the caller's `Authorization` value. No value means anonymous; a value that is
 * not a valid access token fails the whole request, so an expired session is never
 * silently served as anonymous.
 */
export async function authenticate(
  tokens: TokenService,
  assertions: IdentityAssertions,
  authorization: unknown,
  clientIp: string | undefined,
): Promise<RouterContext> {
  const result = await tokens.fromAuthorization(authorization);
  if (result === 'invalid') throw invalidToken();
  const identity = result === 'anonymous' ? null : result;
  const origin = { identity, clientIp: clientIp ?? null };
  let signed: { assertion: Promise<string>; at: number } | undefined;
  const originAssertion = (): Promise<string> => {
    if (!signed || Date.now() - signed.at > ASSERTION_REUSE_MS) {
      signed = { assertion: assertions.sign(origin), at: Date.now() };
    }
    return signed.assertion;
  };
  return { ...origin, originAssertion };
}
