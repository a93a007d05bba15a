import { IdentityAssertions, TokenService } from '../../../internal/auth/index.js';
import { connectDatabase, pingDatabase } from '../../../internal/db/index.js';
import { createLogger } from '../../../internal/logger/index.js';
import { createMetrics } from '../../../internal/metrics/index.js';
import { startSubgraph, type RunningSubgraph } from '../../../internal/subgraph/index.js';
import { createLoginAttemptModel } from './auth/loginAttempt.model.js';
import { LoginLimiter } from './auth/loginLimiter.js';
import type { UsersConfig } from './config.js';
import { createContext } from './context.js';
import { buildUsersSchema } from './schema.js';
import { createRefreshTokenModel, createRefreshTokenUseModel } from './session/refreshToken.model.js';
import { createSessionModel } from './session/session.model.js';
import { SessionService } from './session/session.service.js';
import { createEmailTokenModel, createEmailTokenUseModel } from './emailToken/emailToken.model.js';
import { EmailTokenService } from './emailToken/emailToken.service.js';
import { createMailer } from './mail/mailer.js';
import { SecretBox } from './twofactor/secretBox.js';
import { createRecoveryCodeModel, createTwoFactorUseModel } from './twofactor/twoFactor.model.js';
import { TwoFactorService } from './twofactor/twoFactor.service.js';
import { createUserModel } from './user/user.model.js';

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
  const loginAttempts = createLoginAttemptModel(db);
  const twoFactorStores = { users, recoveryCodes: createRecoveryCodeModel(db), uses: createTwoFactorUseModel(db) };
  const emailTokenStores = { tokens: createEmailTokenModel(db), uses: createEmailTokenUseModel(db) };
  // The unique indexes are what make sign-up and every single-use token safe: have them before serving.
  await Promise.all(
    [
      users,
      ...Object.values(stores),
      loginAttempts,
      twoFactorStores.recoveryCodes,
      twoFactorStores.uses,
      ...Object.values(emailTokenStores),
    ].map((model) => model.init()),
  );
  const sessions = new SessionService(stores, new TokenService(config.jwtSecret), { logger });
  const loginLimiter = new LoginLimiter(loginAttempts);
  const twoFactor = new TwoFactorService(twoFactorStores, new SecretBox(config.jwtSecret), config.jwtSecret);
  const emailTokens = new EmailTokenService(emailTokenStores);
  const mail = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
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
        twoFactor,
        emailTokens,
        mail,
        publicUrl: config.publicUrl,
        logger,
      }),
    readiness: async () => ({ mongodb: await pingDatabase(db) }),
  });
  return {
    ...running,
    dispose: async () => {
      await running.dispose();
      await db.close();
    },
  };
}
