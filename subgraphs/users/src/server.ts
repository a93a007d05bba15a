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
  // The unique indexes are what make sign-up and token rotation safe: have them before serving.
  await Promise.all([users, ...Object.values(stores), loginAttempts].map((model) => model.init()));
  const sessions = new SessionService(stores, new TokenService(config.jwtSecret), { logger });
  const loginLimiter = new LoginLimiter(loginAttempts);
  const running = await startSubgraph({
    name: 'users',
    host: config.host,
    port: config.port,
    schema: await buildUsersSchema(),
    production: config.production,
    logger,
    metrics,
    identities: new IdentityAssertions(config.jwtSecret),
    context: ({ identity, clientIp }) => createContext({ identity, clientIp, users, sessions, loginLimiter }),
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
