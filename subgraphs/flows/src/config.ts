import { EnvReader, readCommon, type CommonConfig, type Env } from '../../../internal/config/index.js';

export interface FlowsConfig extends CommonConfig {
  mongodbUri: string;
  dbName: string;
}

export function loadConfig(env: Env): FlowsConfig {
  const reader = new EnvReader(env);
  const config = {
    ...readCommon(reader, 4002, 'FLOWS_PORT'),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('FLOWS_DB', 'ufe_flows'),
  };
  reader.done('flows');
  return config;
}
