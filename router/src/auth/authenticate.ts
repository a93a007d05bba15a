import { GraphQLError } from 'graphql';
import type { IdentityAssertions, TokenService } from '../../../internal/auth/index.js';
import { ErrorCode } from '../../../internal/errors/index.js';
import type { RouterContext } from '../context.js';

export const invalidToken = (): GraphQLError =>
  new GraphQLError('The access token is invalid or expired; refresh it or sign in again.', {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) },
    },
  });

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
  let assertion: Promise<string> | undefined;
  return { ...origin, originAssertion: () => (assertion ??= assertions.sign(origin)) };
}
