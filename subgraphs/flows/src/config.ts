import { EnvReader, readCommon, type CommonConfig, type Env } from '../../../internal/config/index.js';

export interface FlowsConfig extends CommonConfig {
  mongodbUri: string;
  dbName: string;
  /** The users subgraph, which knows who belongs to which workspace. */
  usersUrl: string;
}

export function loadConfig(env: Env): FlowsConfig {
  const reader = new EnvReader(env);
  const config = {
    ...readCommon(reader, 4002, 'FLOWS_PORT'),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('FLOWS_DB', 'ufe_flows'),
    usersUrl: reader.url('SUBGRAPH_USERS_URL') ?? 'http://127.0.0.1:4001/graphql',
  };
  reader.done('flows');
  return config;
}
