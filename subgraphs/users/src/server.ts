import { IdentityAssertions, TokenService } from '../../../internal/auth/index.js';
import { connectDatabase, pingDatabase } from '../../../internal/db/index.js';
import { createLogger } from '../../../internal/logger/index.js';
import { createMetrics } from '../../../internal/metrics/index.js';
import { startSubgraph, type RunningSubgraph } from '../../../internal/subgraph/index.js';
import { createAttemptModel } from './auth/attempt.model.js';
import { AttemptLimiter } from './auth/attemptLimiter.js';
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
import { createMailer } from './mail/mailer.js';
import { createSso } from './sso/createSso.js';
import { SecretBox } from './twofactor/secretBox.js';
import { createRecoveryCodeModel, createTwoFactorUseModel } from './twofactor/twoFactor.model.js';
import { TwoFactorService } from './twofactor/twoFactor.service.js';
import { TwoFactorReset } from './twofactor/twoFactorReset.js';
import { RecentSignIn } from './account/reauthentication.js';
import { createUserModel } from './user/user.model.js';
import { createAuditModel } from './audit/audit.model.js';
import { AuditLog } from './audit/audit.service.js';
import { createInvitationModel, createMembershipModel, createWorkspaceModel } from './workspace/workspace.model.js';
import { WorkspaceService } from './workspace/workspace.service.js';

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
    ].map((model) => model.init()),
  );
  const sessions = new SessionService(stores, new TokenService(config.jwtSecret), { logger });
  const limiter = new AttemptLimiter(attempts);
  const loginLimiter = new LoginLimiter(limiter);
  const signUpLimiter = new SignUpLimiter(limiter, config.signUpLimits);
  const twoFactor = new TwoFactorService(twoFactorStores, new SecretBox(config.jwtSecret), config.jwtSecret);
  const emailTokens = new EmailTokenService(emailTokenStores);
  const workspaces = new WorkspaceService(workspaceStores);
  const audit = new AuditLog(auditEvents, logger);
  const mail = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
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
    identities: new IdentityAssertions(config.jwtSecret),
    logger,
  });
  const running = await startSubgraph({
    name: 'users',
    host: config.host,
    port: config.port,
    schema: await buildUsersSchema(),
    production: config.production,
    logger,
    metrics,
    identities: new IdentityAssertions(config.jwtSecret),
    context: ({ identity, clientIp }) =>
      createContext({
        identity,
        clientIp,
        users,
        sessions,
        loginLimiter,
        signUpLimiter,
        twoFactor,
        twoFactorReset,
        recentSignIn,
        emailTokens,
        mail,
        workspaces,
        audit,
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
      await db.close();
    },
  };
}
