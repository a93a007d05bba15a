import { GraphQLError } from 'graphql';
import type { AssertionSigner, Identity } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import type { RouterContext } from '../context.js';
import { sessionEnded, type SessionCheck } from './sessionCheck.js';
import type { AccessTokens } from './verifiedTokens.js';

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
 * not a valid access token of a live session fails the whole request, so an expired or
 * signed-out session is never silently served as anonymous.
 */
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly assertions: AssertionSigner,
    /** Undefined only for a router without a users subgraph: then tokens are checked by signature alone. */
    private readonly sessions: SessionCheck | undefined,
  ) {}

  async authenticate(authorization: unknown, clientIp: string | undefined): Promise<RouterContext> {
    const result = await this.tokens.fromAuthorization(authorization);
    if (result === 'invalid') throw invalidToken();
    const identity = result === 'anonymous' ? null : result;
    const { sessions } = this;
    const sessionId = identity?.sessionId;
    if (identity && sessions) {
      // Every token we issue names its session: one that does not was not issued by sign-in.
      if (!sessionId) throw invalidToken();
      if (!(await sessions.isLive(sessionId))) throw sessionEnded();
    }
    const origin = { identity, clientIp: clientIp ?? null };
    return {
      ...origin,
      // The signer keeps each assertion for half its life, so a subscription's per-event
      // fetches always carry a fresh one.
      originAssertion: (subgraph) => this.assertions.sign(subgraph, origin),
      stillSignedIn: async () =>
        sessions && sessionId && !(await sessions.isLive(sessionId)) ? sessionEnded() : undefined,
    };
  }
}
