import { EnvReader, readAssertionKey, readCommon, type CommonConfig, type Env } from '#internal/config';
import { readAccountDeletionPollMs } from '#internal/events';

export interface BillingConfig extends CommonConfig {
  /** Verifies what the router addresses to this subgraph, and signs its own calls (`ASSERTION_KEY`). */
  assertionKey: Uint8Array;
  mongodbUri: string;
  dbName: string;
  /** The users subgraph, whose account-deletion feed this domain consumes. */
  usersUrl: string;
  /** How often the account-deletion feed is polled, in ms (`ACCOUNT_DELETION_POLL_SECONDS`). */
  accountDeletionPollMs: number;
  /** Unset: offline mode — plans visible, checkout refused with a clear error. */
  stripeSecretKey: string | undefined;
  stripeApiBase: string | undefined;
}

export function loadConfig(env: Env): BillingConfig {
  const reader = new EnvReader(env);
  const common = readCommon(reader, 4005, 'BILLING_PORT');
  const config = {
    ...common,
    assertionKey: readAssertionKey(reader, 'billing', common.production),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    usersUrl: reader.url('SUBGRAPH_USERS_URL') ?? 'http://127.0.0.1:4001/graphql',
    accountDeletionPollMs: readAccountDeletionPollMs(reader),
    dbName: reader.string('BILLING_DB', 'ufe_billing'),
    stripeSecretKey: reader.string('STRIPE_SECRET_KEY'),
    stripeApiBase: reader.url('STRIPE_API_BASE'),
  };
  reader.done('billing');
  return config;
}
