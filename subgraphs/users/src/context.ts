import DataLoader from 'dataloader';
import type { Identity, TokenService } from '../../../internal/auth/index.js';
import type { UserDocument, UserModel } from './user/user.model.js';

export interface UsersContext {
  identity: Identity | null;
  /** The client's address, as asserted by the router. */
  clientIp: string | null;
  users: UserModel;
  tokens: TokenService;
  /** Batches entity references from the router into one query per request. */
  userById: DataLoader<string, UserDocument | null>;
}

export function createContext(deps: Pick<UsersContext, 'identity' | 'clientIp' | 'users' | 'tokens'>): UsersContext {
  return {
    ...deps,
    userById: new DataLoader(async (ids) => {
      const valid = ids.filter((id) => /^[a-f0-9]{24}$/.test(id));
      const found = await deps.users.find({ _id: { $in: valid } });
      const byId = new Map(found.map((user) => [user.id as string, user]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
