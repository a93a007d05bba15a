import DataLoader from 'dataloader';
import type { Identity } from '#internal/auth';
import type { Logger } from '#internal/logger';
import type { PubSub } from '#internal/pubsub';
import type { WorkspaceRole } from '#internal/workspaces';
import type { AccountDeletions } from './accountDeletion/accountDeletion.service.js';
import type { AuditLog } from './audit/audit.service.js';
import type { LoginLimiter } from './auth/loginLimiter.js';
import type { SignUpLimiter } from './auth/signUpLimiter.js';
import type { EmailTokenService } from './emailToken/emailToken.service.js';
import type { Mailer } from '#internal/mail';
import type { SessionService } from './session/session.service.js';
import type { SsoServices } from './sso/createSso.js';
import type { RecentSignIn } from './account/recentSignIn.js';
import type { TwoFactorService } from './twofactor/twoFactor.service.js';
import type { TwoFactorReset } from './twofactor/twoFactorReset.js';
import type { UserDocument, UserModel } from './user/user.model.js';
import type { WorkspaceDocument } from './workspace/workspace.model.js';
import type { WorkspaceService } from './workspace/workspace.service.js';

export interface UsersContext {
  identity: Identity | null;
  /** The client's address, as asserted by the router. */
  clientIp: string | null;
  /** Another service calling on its own account (`serviceApi/`); null for the router's clients. */
  service: string | null;
  /** The session of the caller's access token (its `sid`); null when that is not known. */
  sessionId: string | null;
  users: UserModel;
  sessions: SessionService;
  /** Session revocations, published for the router (`serviceApi/`). */
  pubsub: PubSub;
  loginLimiter: LoginLimiter;
  /** Bounds sign-ups (and anything else that tells whether an address is registered). */
  signUpLimiter: SignUpLimiter;
  twoFactor: TwoFactorService;
  /** Two-factor removal through a password-reset notice. */
  twoFactorReset: TwoFactorReset;
  /** Whether the caller's session signed in recently (see confirmCaller). */
  recentSignIn: RecentSignIn;
  emailTokens: EmailTokenService;
  mail: Mailer;
  workspaces: WorkspaceService;
  audit: AuditLog;
  /** The account-deletion outbox and the feed its consumers read. */
  accountDeletions: AccountDeletions;
  /** Log-in codes from provider sign-ins, workspace SAML settings. */
  sso: SsoServices;
  /** Where links in mails point. */
  publicUrl: string;
  logger?: Logger;
  /** Batches entity references from the router into one query per request. */
  userById: DataLoader<string, UserDocument | null>;
  /** Whether an id not found among the users is a deleted account's (a placeholder, not null). */
  deletedUserIds: DataLoader<string, boolean>;
  /** Workspaces by id, batched per request: a page of flows costs one query, however many workspaces it names. */
  workspaceById: DataLoader<string, WorkspaceDocument | null>;
  /** The caller's role by workspace id (null: not a member), one query per request. */
  myRoles: DataLoader<string, WorkspaceRole | null>;
  /** Everyone in the workspaces where the caller is ADMIN or OWNER: whose emails they may read. */
  administeredUsers: () => Promise<ReadonlySet<string>>;
}

/** Runs `load` once, on first use. */
const lazy = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
};

export function createContext(
  deps: Pick<
    UsersContext,
    | 'identity'
    | 'clientIp'
    | 'service'
    | 'users'
    | 'sessions'
    | 'pubsub'
    | 'loginLimiter'
    | 'signUpLimiter'
    | 'twoFactor'
    | 'twoFactorReset'
    | 'recentSignIn'
    | 'emailTokens'
    | 'mail'
    | 'workspaces'
    | 'audit'
    | 'accountDeletions'
    | 'sso'
    | 'publicUrl'
    | 'logger'
  >,
): UsersContext {
  const userId = deps.identity?.userId;
  return {
    ...deps,
    administeredUsers: lazy(async () => (userId ? deps.workspaces.administeredUsers(userId) : new Set<string>())),
    sessionId: deps.identity?.sessionId ?? null,
    userById: new DataLoader(async (ids) => {
      const valid = ids.filter((id) => /^[a-f0-9]{24}$/.test(id));
      const found = await deps.users.find({ _id: { $in: valid } });
      const byId = new Map(found.map((user) => [user.id as string, user]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    workspaceById: new DataLoader(async (ids) => {
      const found = await deps.workspaces.findMany(ids);
      const byId = new Map(found.map((workspace) => [workspace.id as string, workspace]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    deletedUserIds: new DataLoader((ids) => deps.accountDeletions.wereDeleted(ids)),
    myRoles: new DataLoader(async (workspaceIds) => {
      const userId = deps.identity?.userId;
      if (!userId) return workspaceIds.map(() => null);
      const roles = await deps.workspaces.rolesOf(userId, workspaceIds);
      return workspaceIds.map((id) => roles.get(id) ?? null);
    }),
  };
}
