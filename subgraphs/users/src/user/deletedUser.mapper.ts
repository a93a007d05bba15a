import type { User } from './user.type.js';

/** Marks a placeholder; a symbol, so no stored or client-given value can carry it. */
const DELETED = Symbol('deletedUser');

/**
 * What a reference to a deleted account resolves to: the content other domains keep in
 * the user's name (a workspace flow's creator, a version's author) outlives them, and
 * fields like `Flow.owner` are non-null. No email: `isDeletedUser` keeps it unreadable.
 */
export const deletedUser = (id: string): User =>
  Object.assign(
    {
      id,
      name: 'Deleted user',
      email: '',
      emailVerified: false,
      twoFactorEnabled: false,
      hasPassword: false,
      createdByProvider: null,
    },
    { [DELETED]: true },
  );

export const isDeletedUser = (user: User): boolean => DELETED in user;
