import { AssertionVerifier, assertionKey, TokenService } from '#internal/auth';
import { connectDatabase, pingDatabase } from '#internal/db';
import { createLogger } from '#internal/logger';
import { createMetrics } from '#internal/metrics';
import { createPubSub } from '#internal/pubsub';
import { SESSIONS_REVOKED } from './session/sessionEvents.js';
import { startSubgraph, type RunningSubgraph } from '#internal/subgraph';
import { createAttemptModel } from './auth/attempt.model.js';
import { AttemptLimiter } from './auth/attemptLimiter.js';
import {
  createAccountDeletionDeliveryModel,
  createAccountDeletionModel,
} from './accountDeletion/accountDeletion.model.js';
import { ACCOUNT_DELETION_CONSUMERS, AccountDeletions } from './accountDeletion/accountDeletion.service.js';
import { LoginLimiter } from './auth/loginLimiter.js';
import { SignUpLimiter } from './auth/signUpLimiter.js';
import type { UsersConfig } from './config.js';
import { createContext } from './context.js';
import { buildUsersSchema } from './schema.js';
import { createRefreshTokenModel, createRefreshTokenUseModel } from './session/refreshToken.model.js';
import { createSessionModel } from './session/session.model.js';
import { SessionService } from './session/session.service.js';
import { createEmailTokenModel, createEmailTokenUseModel } from './emailToken/emailToken.model.js';
import { EmailTokenService } from './emailToken/emailToken.service.js';
import { createMailer } from '#internal/mail';
import { createSso } from './sso/createSso.js';
import { SecretBox } from './twofactor/secretBox.js';
import { createRecoveryCodeModel, createTwoFactorUseModel } from './twofactor/twoFactor.model.js';
import { TwoFactorService } from './twofactor/twoFactor.service.js';
import { TwoFactorReset } from './twofactor/twoFactorReset.js';
import { RecentSignIn } from './account/recentSignIn.js';
import { createUserModel } from './user/user.model.js';
import { createAuditModel } from './audit/audit.model.js';
import { AuditLog } from './audit/audit.service.js';
import { createInvitationModel, createMembershipModel, createWorkspaceModel } from './workspace/workspace.model.js';
import { WorkspaceService } from './workspace/workspace.service.js';

/** The services that may call users on their own account. */
const PEERS = ['flows', 'knowledge', 'cognition', 'billing'];

export async function start(config: UsersConfig): Promise<RunningSubgraph> {
  const logger = createLogger('users', config.logLevel);
  const metrics = createMetrics('users');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const users = createUserModel(db);
  const stores = {
    sessions: createSessionModel(db),
    refreshTokens: createRefreshTokenModel(db),
    refreshTokenUses: createRefreshTokenUseModel(db),
  };
  const attempts = createAttemptModel(db);
  const twoFactorStores = { users, recoveryCodes: createRecoveryCodeModel(db), uses: createTwoFactorUseModel(db) };
  const emailTokenStores = { tokens: createEmailTokenModel(db), uses: createEmailTokenUseModel(db) };
  const workspaceStores = {
    workspaces: createWorkspaceModel(db),
    memberships: createMembershipModel(db),
    invitations: createInvitationModel(db),
  };
  const auditEvents = createAuditModel(db);
  const deletionStores = {
    deletions: createAccountDeletionModel(db),
    deliveries: createAccountDeletionDeliveryModel(db),
  };
  // The unique indexes are what make sign-up and every single-use token safe: have them before serving.
  await Promise.all(
    [
      users,
      ...Object.values(stores),
      attempts,
      twoFactorStores.recoveryCodes,
      twoFactorStores.uses,
      ...Object.values(emailTokenStores),
      ...Object.values(workspaceStores),
      auditEvents,
      ...Object.values(deletionStores),
    ].map((model) => model.init()),
  );
  const pubsub = createPubSub(config.redisUrl);
  const sessions = new SessionService(stores, new TokenService(config.jwtSecret), {
    logger,
    // The router stops the sessions' access tokens as soon as it hears of this.
    onRevoked: (sessionIds) => {
      pubsub
        .publish(SESSIONS_REVOKED, { sessionIds })
        .catch((error: unknown) => logger.error({ err: error }, 'session revocation not published'));
    },
  });
  const limiter = new AttemptLimiter(attempts);
  const loginLimiter = new LoginLimiter(limiter);
  const signUpLimiter = new SignUpLimiter(limiter, config.signUpLimits);
  const twoFactor = new TwoFactorService(twoFactorStores, new SecretBox(config.jwtSecret), config.jwtSecret);
  const emailTokens = new EmailTokenService(emailTokenStores);
  const workspaces = new WorkspaceService(workspaceStores);
  const audit = new AuditLog(auditEvents, logger);
  const accountDeletions = new AccountDeletions({ ...deletionStores, users }, ACCOUNT_DELETION_CONSUMERS);
  // Other services call the users domain as themselves (`serviceApi/`), each with its own
  // key, which users, holding the secret they all derive from, can derive too.
  const peerKeys = new Map(PEERS.map((service) => [service, assertionKey(config.jwtSecret, service)]));
  const assertions = new AssertionVerifier('users', {
    own: assertionKey(config.jwtSecret, 'users'),
    peer: (service) => peerKeys.get(service),
  });
  const mail = createMailer(config.mail);
  const twoFactorReset = new TwoFactorReset({
    users,
    twoFactor,
    audit,
    mail,
    delayHours: config.twoFactorResetDelayHours,
    logger,
  });
  const recentSignIn = new RecentSignIn(stores.sessions, config.reauthenticationWindowMinutes);
  const sso = await createSso({
    db,
    config: config.sso,
    publicUrl: config.publicUrl,
    jwtSecret: config.jwtSecret,
    users,
    sessions,
    twoFactor,
    workspaces,
    audit,
    identities: assertions,
    logger,
  });
  const running = await startSubgraph({
    name: 'users',
    host: config.host,
    port: config.port,
    schema: await buildUsersSchema(pubsub),
    production: config.production,
    metricsAccess: config.metrics,
    logger,
    metrics,
    assertions,
    context: ({ identity, clientIp, service }) =>
      createContext({
        identity,
        clientIp,
        service: service ?? null,
        users,
        sessions,
        pubsub,
        loginLimiter,
        signUpLimiter,
        twoFactor,
        twoFactorReset,
        recentSignIn,
        emailTokens,
        mail,
        workspaces,
        audit,
        accountDeletions,
        sso: sso.services,
        publicUrl: config.publicUrl,
        logger,
      }),
    readiness: async () => ({ mongodb: await pingDatabase(db) }),
    routes: sso.routes,
  });
  return {
    ...running,
    dispose: async () => {
      await running.dispose();
      await pubsub.close();
      await db.close();
    },
  };
}
