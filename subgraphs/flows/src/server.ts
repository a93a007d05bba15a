import { IdentityAssertions } from '../../../internal/auth/index.js';
import { connectDatabase, pingDatabase } from '../../../internal/db/index.js';
import { createLogger } from '../../../internal/logger/index.js';
import { createMetrics } from '../../../internal/metrics/index.js';
import { createPubSub } from '../../../internal/pubsub/index.js';
import { startSubgraph, type RunningSubgraph } from '../../../internal/subgraph/index.js';
import { WorkspaceMemberships } from '../../../internal/workspaces/index.js';
import type { FlowsConfig } from './config.js';
import { createFlowModel } from './flow/flow.model.js';
import { KeyedLock } from './ops/keyedLock.js';
import { buildFlowsSchema } from './schema.js';
import { Gauge } from 'prom-client';

export async function start(config: FlowsConfig): Promise<RunningSubgraph> {
  const logger = createLogger('flows', config.logLevel);
  const metrics = createMetrics('flows');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const flows = createFlowModel(db);
  await flows.init();
  const pubsub = createPubSub(config.redisUrl);
  const writes = new KeyedLock();
  const identities = new IdentityAssertions(config.jwtSecret);
  const memberships = new WorkspaceMemberships(config.usersUrl, identities);
  const subscribers = new Gauge({
    name: 'flow_event_subscribers',
    help: 'Open flowEvents subscriptions on this instance.',
    registers: [metrics.registry],
  });
  const running = await startSubgraph({
    name: 'flows',
    host: config.host,
    port: config.port,
    schema: await buildFlowsSchema(pubsub),
    production: config.production,
    logger,
    identities,
    metrics,
    context: ({ identity }) => ({ identity, flows, pubsub, memberships, writes, subscribers }),
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
