import { GraphQLError } from 'graphql';
import type { AssertionSigner, Identity, TokenService } from '../../../internal/auth/index.js';
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
 * Verifies the caller's `Authorization` value. No value means anonymous; a value that is
 * not a valid access token fails the whole request, so an expired session is never
 * silently served as anonymous.
 */
export async function authenticate(
  tokens: TokenService,
  assertions: AssertionSigner,
  authorization: unknown,
  clientIp: string | undefined,
): Promise<RouterContext> {
  const result = await tokens.fromAuthorization(authorization);
  if (result === 'invalid') throw invalidToken();
  const identity = result === 'anonymous' ? null : result;
  const origin = { identity, clientIp: clientIp ?? null };
  return {
    ...origin,
    // The signer keeps each assertion for half its life, so a subscription's per-event
    // fetches always carry a fresh one.
    originAssertion: (subgraph) => assertions.sign(subgraph, origin),
    stillSignedIn: () => Promise.resolve(undefined),
  };
}
