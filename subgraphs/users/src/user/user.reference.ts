import type { UsersContext } from '../context.js';
import { toUser } from './user.resolver.js';
import type { User } from './user.type.js';

/** Resolves `User` references from other subgraphs, batched per request. */
export const userReference = {
  __resolveReference: async (reference: { id: string }, context: UsersContext): Promise<User | null> => {
    const user = await context.userById.load(reference.id);
    return user ? toUser(user) : null;
  },
};
