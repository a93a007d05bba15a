import {
  EnvReader,
  readAssertionKey,
  readCommon,
  type CommonConfig,
  type Env,
} from '../../../internal/config/index.js';

export interface FlowsConfig extends CommonConfig {
  /** Verifies what the router addresses to this subgraph, and signs its own calls (`ASSERTION_KEY`). */
  assertionKey: Uint8Array;
  mongodbUri: string;
  dbName: string;
  /** The users subgraph, which knows who belongs to which workspace. */
  usersUrl: string;
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
  };
  reader.done('flows');
  return config;
}
