import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../../../internal/errors/index.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from './user.model.js';
import { User } from './user.type.js';

export const toUser = (doc: UserDocument): User => ({ id: doc.id as string, email: doc.email, name: doc.name });

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when not signed in.' })
  async me(@Ctx() context: UsersContext): Promise<User | null> {
    if (!context.identity) return null;
    const user = await context.userById.load(context.identity.userId);
    return user ? toUser(user) : null;
  }

  @FieldResolver(() => String)
  email(@Root() user: User, @Ctx() context: UsersContext): string {
    if (context.identity?.userId !== user.id) throw forbidden('Only the user can read their email.');
    return user.email;
  }
}
