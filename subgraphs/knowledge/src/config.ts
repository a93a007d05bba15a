import { EnvReader, readAssertionKey, readCommon, type CommonConfig, type Env } from '#internal/config';
import { readAccountDeletionPollMs } from '#internal/events';

export interface KnowledgeConfig extends CommonConfig {
  /** Verifies what the router addresses to this subgraph, and signs its own calls (`ASSERTION_KEY`). */
  assertionKey: Uint8Array;
  mongodbUri: string;
  dbName: string;
  chromaUrl: string;
  /** The users subgraph: who belongs to which workspace, and the account-deletion feed. */
  usersUrl: string;
  /** How often the account-deletion feed is polled, in ms (`ACCOUNT_DELETION_POLL_SECONDS`). */
  accountDeletionPollMs: number;
}

export function loadConfig(env: Env): KnowledgeConfig {
  const reader = new EnvReader(env);
  const common = readCommon(reader, 4003, 'KNOWLEDGE_PORT');
  const config = {
    ...common,
    assertionKey: readAssertionKey(reader, 'knowledge', common.production),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('KNOWLEDGE_DB', 'ufe_knowledge'),
    usersUrl: reader.url('SUBGRAPH_USERS_URL') ?? 'http://127.0.0.1:4001/graphql',
    accountDeletionPollMs: readAccountDeletionPollMs(reader),
    chromaUrl:
      reader.url('CHROMA_URL') ?? reader.required('CHROMA_URL', 'point it at a Chroma server (npm start starts one)'),
  };
  reader.done('knowledge');
  return config;
}
