import { TokenService } from '../../../internal/auth/index.js';
import { connectDatabase, pingDatabase } from '../../../internal/db/index.js';
import { createLogger } from '../../../internal/logger/index.js';
import { createPubSub } from '../../../internal/pubsub/index.js';
import { startSubgraph, type RunningSubgraph } from '../../../internal/subgraph/index.js';
import type { FlowsConfig } from './config.js';
import { createFlowModel } from './flow/flow.model.js';
import { buildFlowsSchema } from './schema.js';

export async function start(config: FlowsConfig): Promise<RunningSubgraph> {
  const logger = createLogger('flows', config.logLevel);
  const db = await connectDatabase(config.mongodbUri, config.dbName);
  const flows = createFlowModel(db);
  await flows.init();
  const pubsub = createPubSub(config.redisUrl);
  const running = await startSubgraph({
    name: 'flows',
    host: config.host,
    port: config.port,
    schema: await buildFlowsSchema(pubsub),
    production: config.production,
    logger,
    tokens: new TokenService(config.jwtSecret),
    context: (identity) => ({ identity, flows, pubsub }),
    readiness: async () => ({ mongodb: await pingDatabase(db) }),
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
