import { Arg, Ctx, Directive, ID, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { badUserInput } from '#internal/errors';
import { startingWith } from '#internal/asyncIterators';
import { isWorkspaceRole } from '#internal/workspaces';
import type { UsersContext } from '../context.js';
import { SESSIONS_REVOKED, type SessionsRevoked } from '../session/sessionEvents.js';
import { AccountFacts, WorkspaceGrant } from './serviceApi.type.js';

/** Session ids asked at once, at most. */
const MAX_SESSIONS = 1_000;

/**
 * What other services ask the users domain on their own account, never a client's:
 * `@inaccessible`, so not in the API the router serves, and allowed to the named
 * services only by the rules (`serviceApi.rules.ts`).
 */
@Resolver()
export class ServiceApiResolver {
  @Directive('@inaccessible')
  @Query(() => [WorkspaceGrant], { description: 'The workspaces a user belongs to, with the role in each.' })
  async workspaceGrantsOf(
    @Arg('userId', () => ID) userId: string,
    @Ctx() context: UsersContext,
  ): Promise<WorkspaceGrant[]> {
    const memberships = await context.workspaces.membershipsOf(userId);
    return memberships.flatMap((m) => (isWorkspaceRole(m.role) ? [{ workspaceId: m.workspaceId, role: m.role }] : []));
  }

  @Directive('@inaccessible')
  @Query(() => AccountFacts, {
    nullable: true,
    description:
      "A user's email and name, for a service that must match the one or mail the other (a flow invitation); " +
      'null for no such user.',
  })
  async accountOf(@Arg('userId', () => ID) userId: string, @Ctx() context: UsersContext): Promise<AccountFacts | null> {
    const user = await context.userById.load(userId);
    return user && { email: user.email, name: user.name };
  }

  @Directive('@inaccessible')
  @Query(() => [ID], {
    description: 'For the router: which of these sessions are live (neither revoked nor lapsed).',
  })
  async liveSessions(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: UsersContext): Promise<string[]> {
    if (ids.length > MAX_SESSIONS) throw badUserInput(`Ask for at most ${MAX_SESSIONS} sessions.`, 'ids');
    return context.sessions.live(ids);
  }

  @Directive('@inaccessible')
  @Subscription(() => [ID], {
    description:
      'For the router: the ids of sessions as they are revoked, on any instance; first an empty list, once listening.',
    subscribe: ({ context }: SubscribeResolverData<unknown, object, UsersContext>) =>
      startingWith({ sessionIds: [] }, context.pubsub.subscribe<SessionsRevoked>(SESSIONS_REVOKED)),
  })
  sessionRevocations(@Root() event: SessionsRevoked): string[] {
    return event.sessionIds;
  }
}
