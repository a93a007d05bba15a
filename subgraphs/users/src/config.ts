import { EnvReader, readCommon, type CommonConfig, type Env } from '../../../internal/config/index.js';

export interface UsersConfig extends CommonConfig {
  mongodbUri: string;
  dbName: string;
}

export function loadConfig(env: Env): UsersConfig {
  const reader = new EnvReader(env);
  const config = {
    ...readCommon(reader, 4001, 'USERS_PORT'),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('USERS_DB', 'ufe_users'),
  };
  reader.done('users');
  return config;
}
