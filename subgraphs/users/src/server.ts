import { IdentityAssertions, TokenService } from '../../../internal/auth/index.js';
import { connectDatabase, pingDatabase } from '../../../internal/db/index.js';
import { createLogger } from '../../../internal/logger/index.js';
import { createMetrics } from '../../../internal/metrics/index.js';
import { startSubgraph, type RunningSubgraph } from '../../../internal/subgraph/index.js';
import type { UsersConfig } from './config.js';
import { createContext } from './context.js';
import { buildUsersSchema } from './schema.js';
import { createUserModel } from './user/user.model.js';

export async function start(config: UsersConfig): Promise<RunningSubgraph> {
  const logger = createLogger('users', config.logLevel);
  const metrics = createMetrics('users');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const users = createUserModel(db);
  await users.init();
  const tokens = new TokenService(config.jwtSecret);
  const running = await startSubgraph({
    name: 'users',
    host: config.host,
    port: config.port,
    schema: await buildUsersSchema(),
    production: config.production,
    logger,
    metrics,
    identities: new IdentityAssertions(config.jwtSecret),
    context: ({ identity, clientIp }) => createContext({ identity, clientIp, users, tokens }),
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
