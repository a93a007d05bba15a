import {
  EnvReader,
  readAssertionKey,
  readCommon,
  type CommonConfig,
  type Env,
} from '../../../internal/config/index.js';

export interface BillingConfig extends CommonConfig {
  /** Verifies what the router addresses to this subgraph, and signs its own calls (`ASSERTION_KEY`). */
  assertionKey: Uint8Array;
  mongodbUri: string;
  dbName: string;
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
    dbName: reader.string('BILLING_DB', 'ufe_billing'),
    stripeSecretKey: reader.string('STRIPE_SECRET_KEY'),
    stripeApiBase: reader.url('STRIPE_API_BASE'),
  };
  reader.done('billing');
  return config;
}
