import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '#internal/errors';
import type { UsersContext } from '../context.js';
import { isDeletedUser } from './deletedUser.mapper.js';
import { toUser } from './user.mapper.js';
import { User } from './user.type.js';

/** Throws FORBIDDEN unless the caller is `user` (or is being signed in as them by this response). */
function requireSelf(user: User, context: UsersContext, what: string): void {
  if (context.identity?.userId !== user.id) throw forbidden(`Only the user can read their ${what}.`);
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when not signed in.' })
  async me(@Ctx() context: UsersContext): Promise<User | null> {
    if (!context.identity) return null;
    const user = await context.userById.load(context.identity.userId);
    return user ? toUser(user) : null;
  }

  @FieldResolver(() => String)
  async email(@Root() user: User, @Ctx() context: UsersContext): Promise<string> {
    if (isDeletedUser(user)) throw forbidden('A deleted user has no readable email.');
    // Admins of a workspace see their members' addresses, to know whom they manage.
    if (context.identity?.userId !== user.id && !(await context.administeredUsers()).has(user.id)) {
      throw forbidden('Only the user and the admins of their workspaces can read their email.');
    }
    return user.email;
  }

  @FieldResolver(() => Boolean)
  emailVerified(@Root() user: User, @Ctx() context: UsersContext): boolean {
    requireSelf(user, context, 'email verification status');
    return user.emailVerified;
  }

  @FieldResolver(() => Boolean)
  hasPassword(@Root() user: User, @Ctx() context: UsersContext): boolean {
    requireSelf(user, context, 'password status');
    return user.hasPassword;
  }

  @FieldResolver(() => String, { nullable: true })
  createdByProvider(@Root() user: User, @Ctx() context: UsersContext): string | null {
    requireSelf(user, context, 'account origin');
    return user.createdByProvider;
  }

  @FieldResolver(() => Boolean)
  twoFactorEnabled(@Root() user: User, @Ctx() context: UsersContext): boolean {
    requireSelf(user, context, 'two-factor status');
    return user.twoFactorEnabled;
  }
}
