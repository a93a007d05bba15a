import { readMailerOptions, type MailerOptions } from '#internal/mail';
import { EnvReader, readAssertionKey, readCommon, type CommonConfig, type Env } from '#internal/config';
import { readAccountDeletionPollMs } from '#internal/events';

export interface FlowsConfig extends CommonConfig {
  /** Verifies what the router addresses to this subgraph, and signs its own calls (`ASSERTION_KEY`). */
  assertionKey: Uint8Array;
  mongodbUri: string;
  dbName: string;
  /** The users subgraph: who belongs to which workspace, and the account-deletion feed. */
  usersUrl: string;
  /** Flow invitations by mail (`SMTP_URL`, `MAIL_FROM`; else .eml files under `DATA_DIR/outbox`). */
  mail: MailerOptions;
  /** Where the links in mails point (`PUBLIC_URL`). */
  publicUrl: string;
  /** How often the account-deletion feed is polled, in ms (`ACCOUNT_DELETION_POLL_SECONDS`). */
  accountDeletionPollMs: number;
  /**
   * `FLOW_SNAPSHOT_EVERY` (versions between snapshots and size checks) and
   * `FLOW_REBASE_ABOVE_BYTES` (a document's size past which it is rebuilt from its content).
   */
  collab: { snapshotEvery: number; rebaseAboveBytes: number };
}

export function loadConfig(env: Env): FlowsConfig {
  const reader = new EnvReader(env);
  const common = readCommon(reader, 4002, 'FLOWS_PORT');
  const config = {
    ...common,
    assertionKey: readAssertionKey(reader, 'flows', common.production),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('FLOWS_DB', 'ufe_flows'),
    usersUrl: reader.url('SUBGRAPH_USERS_URL') ?? 'http://127.0.0.1:4001/graphql',
    mail: readMailerOptions(reader),
    publicUrl: reader.url('PUBLIC_URL') ?? 'http://127.0.0.1:4000',
    accountDeletionPollMs: readAccountDeletionPollMs(reader),
    collab: {
      snapshotEvery: Math.max(1, reader.count('FLOW_SNAPSHOT_EVERY', 100, 'versions')),
      rebaseAboveBytes: reader.count('FLOW_REBASE_ABOVE_BYTES', 128 * 1024, 'bytes'),
    },
  };
  reader.done('flows');
  return config;
}
