import { Arg, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { requireIdentity } from '../auth/auth.guard.js';
import type { UsersContext } from '../context.js';
import { toUser } from '../user/user.mapper.js';
import { User } from '../user/user.type.js';
import { toAuditEvent } from './audit.mapper.js';
import { AuditEvent, AuditEventConnection } from './audit.type.js';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Directive('@authenticated')
  @Query(() => AuditEventConnection, {
    description: "The caller's own security events, newest first: log-ins (failed ones too), sessions, 2FA, roles.",
  })
  myAuditLog(
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() context: UsersContext,
  ): Promise<AuditEventConnection> {
    const { userId } = requireIdentity(context);
    return context.audit.forUser(userId, first, after, toAuditEvent);
  }

  @FieldResolver(() => User, { nullable: true })
  async actor(@Root() event: AuditEvent, @Ctx() context: UsersContext): Promise<User | null> {
    const user = event.actorId ? await context.userById.load(event.actorId) : null;
    return user ? toUser(user) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  async subject(@Root() event: AuditEvent, @Ctx() context: UsersContext): Promise<User | null> {
    const user = event.subjectId ? await context.userById.load(event.subjectId) : null;
    return user ? toUser(user) : null;
  }
}
