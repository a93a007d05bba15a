import type { UsersContext } from '../context.js';
import { deletedUser } from './deletedUser.mapper.js';
import { toUser } from './user.mapper.js';
import type { User } from './user.type.js';

/**
 * Resolves `User` references from other subgraphs, batched per request. A deleted
 * account's id resolves to a placeholder ("Deleted user"), an unknown one to null.
 */
export const userReference = {
  __resolveReference: async (reference: { id: string }, context: UsersContext): Promise<User | null> => {
    const user = await context.userById.load(reference.id);
    if (user) return toUser(user);
    return (await context.deletedUserIds.load(reference.id)) ? deletedUser(reference.id) : null;
  },
};
