import { AssertionSigner, AssertionVerifier } from '#internal/auth';
import { connectDatabase, pingDatabase } from '#internal/db';
import { startAccountDeletionConsumer } from '#internal/events';
import { createLogger } from '#internal/logger';
import { createMetrics } from '#internal/metrics';
import { UsersApi } from '#internal/usersApi';
import { startSubgraph, type RunningSubgraph } from '#internal/subgraph';
import { removeAccountCognition } from './accountDeletion/accountDeletion.handler.js';
import type { CognitionConfig } from './config.js';
import { buildCognitionSchema } from './schema.js';

export async function start(config: CognitionConfig): Promise<RunningSubgraph> {
  const logger = createLogger('cognition', config.logLevel);
  const metrics = createMetrics('cognition');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const running = await startSubgraph({
    name: 'cognition',
    host: config.host,
    port: config.port,
    schema: await buildCognitionSchema(),
    production: config.production,
    metricsAccess: config.metrics,
    logger,
    metrics,
    assertions: new AssertionVerifier('cognition', { own: config.assertionKey }),
    context: ({ identity }) => ({ identity, providers: config.providers }),
    readiness: async () => ({ mongodb: await pingDatabase(db) }),
  });
  const usersApi = new UsersApi(
    config.usersUrl,
    AssertionSigner.service('cognition', config.assertionKey),
    'cognition',
  );
  const accountDeletions = startAccountDeletionConsumer({
    users: usersApi,
    db,
    handle: removeAccountCognition(),
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
