import DataLoader from 'dataloader';
import type { Identity } from '../../../internal/auth/index.js';
import type { Logger } from '../../../internal/logger/index.js';
import type { LoginLimiter } from './auth/loginLimiter.js';
import type { EmailTokenService } from './emailToken/emailToken.service.js';
import type { Mailer } from './mail/mailer.js';
import type { SessionService } from './session/session.service.js';
import type { TwoFactorService } from './twofactor/twoFactor.service.js';
import type { UserDocument, UserModel } from './user/user.model.js';

export interface UsersContext {
  identity: Identity | null;
  /** The client's address, as asserted by the router. */
  clientIp: string | null;
  /** The session of the caller's access token (its `sid`); null when that is not known. */
  sessionId: string | null;
  users: UserModel;
  sessions: SessionService;
  loginLimiter: LoginLimiter;
  twoFactor: TwoFactorService;
  emailTokens: EmailTokenService;
  mail: Mailer;
  /** Where links in mails point. */
  publicUrl: string;
  logger?: Logger;
  /** Batches entity references from the router into one query per request. */
  userById: DataLoader<string, UserDocument | null>;
}

export function createContext(
  deps: Pick<
    UsersContext,
    | 'identity'
    | 'clientIp'
    | 'users'
    | 'sessions'
    | 'loginLimiter'
    | 'twoFactor'
    | 'emailTokens'
    | 'mail'
    | 'publicUrl'
    | 'logger'
  >,
): UsersContext {
  return {
    ...deps,
    sessionId: deps.identity?.sessionId ?? null,
    userById: new DataLoader(async (ids) => {
      const valid = ids.filter((id) => /^[a-f0-9]{24}$/.test(id));
      const found = await deps.users.find({ _id: { $in: valid } });
      const byId = new Map(found.map((user) => [user.id as string, user]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
