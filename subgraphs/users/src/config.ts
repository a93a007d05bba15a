import { EnvReader, readCommon, readJwtSecret, type CommonConfig, type Env } from '../../../internal/config/index.js';
import { readSsoConfig, type SsoConfig } from './sso/sso.config.js';

export interface UsersConfig extends CommonConfig {
  /** Signs user tokens; users derives its assertion key, and its peers', from it. */
  jwtSecret: string;
  mongodbUri: string;
  dbName: string;
  /** When set, mail goes out over SMTP; else it is written to `<dataDir>/outbox` as .eml files. */
  smtpUrl: string | undefined;
  mailFrom: string;
  dataDir: string;
  /** Where the links in mails point. */
  publicUrl: string;
  /** Sign-in providers (`OIDC_*`, `GOOGLE_*`, `GITHUB_*`) and where the browser returns (`APP_URL`). */
  sso: SsoConfig;
}

export function loadConfig(env: Env): UsersConfig {
  const reader = new EnvReader(env);
  const publicUrl = reader.url('PUBLIC_URL') ?? 'http://127.0.0.1:4000';
  const config = {
    ...readCommon(reader, 4001, 'USERS_PORT'),
    jwtSecret: readJwtSecret(reader),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('USERS_DB', 'ufe_users'),
    // Read as is, not through `url()`: that would rewrite credentials and query options.
    smtpUrl: reader.string('SMTP_URL'),
    mailFrom: reader.string('MAIL_FROM', 'UX-Flow-Engine <no-reply@localhost>'),
    dataDir: reader.string('DATA_DIR', '.data'),
    publicUrl,
    sso: readSsoConfig(reader, publicUrl),
  };
  reader.done('users');
  return config;
}
