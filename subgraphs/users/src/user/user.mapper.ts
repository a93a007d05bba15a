import type { UserDocument } from './user.model.js';
import type { User } from './user.type.js';

export const toUser = (doc: UserDocument): User => ({
  id: doc.id as string,
  email: doc.email,
  name: doc.name,
  emailVerified: doc.emailVerified,
  twoFactorEnabled: doc.twoFactorEnabled,
  createdByProvider: doc.createdByProvider,
  hasPassword: doc.hasPassword,
});
