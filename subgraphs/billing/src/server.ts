import { AssertionSigner, AssertionVerifier } from '#internal/auth';
import { connectDatabase, pingDatabase } from '#internal/db';
import { startAccountDeletionConsumer } from '#internal/events';
import { createLogger } from '#internal/logger';
import { createMetrics } from '#internal/metrics';
import { UsersApi } from '#internal/usersApi';
import { startSubgraph, type RunningSubgraph } from '#internal/subgraph';
import { removeAccountSubscription } from './accountDeletion/accountDeletion.handler.js';
import type { BillingConfig } from './config.js';
import { buildBillingSchema } from './schema.js';
import { createSubscriptionModel } from './subscription/subscription.model.js';

export async function start(config: BillingConfig): Promise<RunningSubgraph> {
  const logger = createLogger('billing', config.logLevel);
  const metrics = createMetrics('billing');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const subscriptions = createSubscriptionModel(db);
  await subscriptions.init();
  const mode = config.stripeSecretKey ? 'stripe' : 'offline';
  if (mode === 'offline') logger.info('billing runs offline: plans are visible, checkout is refused');
  const running = await startSubgraph({
    name: 'billing',
    host: config.host,
    port: config.port,
    schema: await buildBillingSchema(),
    production: config.production,
    metricsAccess: config.metrics,
    logger,
    metrics,
    assertions: new AssertionVerifier('billing', { own: config.assertionKey }),
    context: ({ identity }) => ({ identity, mode, subscriptions }),
    readiness: async () => ({ mongodb: await pingDatabase(db) }),
  });
  const usersApi = new UsersApi(config.usersUrl, AssertionSigner.service('billing', config.assertionKey), 'billing');
  const accountDeletions = startAccountDeletionConsumer({
    users: usersApi,
    db,
    handle: removeAccountSubscription(subscriptions),
    logger,
    registry: metrics.registry,
    pollMs: config.accountDeletionPollMs,
  });
  return {
    ...running,
    dispose: async () => {
      await running.dispose();
      await accountDeletions.dispose();
      await db.close();
    },
  };
}
