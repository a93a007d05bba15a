import { AssertionSigner, AssertionVerifier } from '#internal/auth';
import { connectDatabase, pingDatabase } from '#internal/db';
import { startAccountDeletionConsumer } from '#internal/events';
import { KeyedLock } from '#internal/keyedLock';
import { createLogger } from '#internal/logger';
import { createMetrics } from '#internal/metrics';
import { startSubgraph, type RunningSubgraph } from '#internal/subgraph';
import { UsersApi } from '#internal/usersApi';
import { WorkspaceMemberships } from '#internal/workspaces';
import { removeAccountDocuments } from './accountDeletion/accountDeletion.handler.js';
import { createChroma, pingChroma } from './chroma.js';
import type { KnowledgeConfig } from './config.js';
import { OFFLINE_EMBEDDING } from './domain/offlineEmbedding.js';
import { KnowledgeIndexer } from './indexing/indexer.js';
import { KnowledgeSearch } from './indexing/search.js';
import { createChunkModel } from './store/chunk.model.js';
import { createDeletionModel } from './store/deletion.model.js';
import { createDocumentModel } from './store/document.model.js';
import { VectorStore } from './store/vectorStore.js';
import { buildKnowledgeSchema } from './schema.js';

export async function start(config: KnowledgeConfig): Promise<RunningSubgraph> {
  const logger = createLogger('knowledge', config.logLevel);
  const metrics = createMetrics('knowledge');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const documents = createDocumentModel(db);
  await documents.init();
  const chunks = createChunkModel(db);
  await chunks.init();
  const deletions = createDeletionModel(db);
  await deletions.init();
  const chroma = createChroma(config.chromaUrl);
  const vectors = new VectorStore(chroma, OFFLINE_EMBEDDING.model);
  const usersApi = new UsersApi(
    config.usersUrl,
    AssertionSigner.service('knowledge', config.assertionKey),
    'knowledge',
  );
  const memberships = new WorkspaceMemberships(usersApi);
  const documentLocks = new KeyedLock();
  const indexer = new KnowledgeIndexer(documents, chunks, deletions, vectors, documentLocks, logger);
  const search = new KnowledgeSearch(documents, chunks, vectors);
  const running = await startSubgraph({
    name: 'knowledge',
    host: config.host,
    port: config.port,
    schema: await buildKnowledgeSchema(),
    production: config.production,
    metricsAccess: config.metrics,
    logger,
    metrics,
    assertions: new AssertionVerifier('knowledge', { own: config.assertionKey }),
    context: ({ identity }) => ({ identity, documents, documentLocks, indexer, search, memberships }),
    readiness: async () => ({ mongodb: await pingDatabase(db), chroma: await pingChroma(chroma) }),
  });
  indexer.start();
  const accountDeletions = startAccountDeletionConsumer({
    users: usersApi,
    db,
    handle: removeAccountDocuments(documents, indexer),
    logger,
    registry: metrics.registry,
    pollMs: config.accountDeletionPollMs,
  });
  return {
    ...running,
    dispose: async () => {
      await indexer.dispose();
      await running.dispose();
      await accountDeletions.dispose();
      await db.close();
    },
  };
}
