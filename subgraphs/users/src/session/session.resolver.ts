import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { notFound } from '#internal/errors';
import { AuditEventType } from '../audit/audit.events.js';
import { requireIdentity } from '../auth/auth.guard.js';
import type { UsersContext } from '../context.js';
import { Session } from './session.type.js';

// Revoking a session stops its refresh token at once, and its access tokens within a
// moment: the router checks the session on every request and is told of revocations.

@Resolver(() => Session)
export class SessionResolver {
  @Directive('@authenticated')
  @Query(() => [Session], {
    description: "The caller's sessions that can still be refreshed, most recently used first (at most 100).",
  })
  async sessions(@Ctx() context: UsersContext): Promise<Session[]> {
    const { userId } = requireIdentity(context);
    const sessions = await context.sessions.list(userId, 100);
    return sessions.map((session) => ({
      id: session.id as string,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      ip: session.ip,
      current: session.id === context.sessionId,
    }));
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, { description: "Signs out one of the caller's sessions; NOT_FOUND unless it is theirs." })
  async revokeSession(@Arg('id', () => ID) id: string, @Ctx() context: UsersContext): Promise<boolean> {
    const { userId } = requireIdentity(context);
    // Someone else's session and no session at all get the same answer.
    if (!(await context.sessions.revoke(userId, id))) throw notFound('No such session.');
    await context.audit.record({
      type: AuditEventType.SESSION_REVOKED,
      actorId: userId,
      ip: context.clientIp,
      details: { sessionId: id },
    });
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description: "Signs out the session of the request's access token; false when there is none to sign out.",
  })
  async logOut(@Ctx() context: UsersContext): Promise<boolean> {
    const { userId } = requireIdentity(context);
    // Without a `sid` (a token from before sessions, or the router not passing it on) the
    // current session cannot be told from the user's others: sign out none of them.
    if (!context.sessionId) return false;
    const revoked = await context.sessions.revoke(userId, context.sessionId);
    if (revoked) {
      await context.audit.record({
        type: AuditEventType.LOGGED_OUT,
        actorId: userId,
        ip: context.clientIp,
        details: { sessionId: context.sessionId },
      });
    }
    return revoked;
  }
}
