import { EnvReader, readCommon, readJwtSecret, type CommonConfig, type Env } from '#internal/config';
import { readMailerOptions, type MailerOptions } from '#internal/mail';
import { DEFAULT_SIGNUP_LIMITS, type SignUpLimits } from './auth/signUpLimiter.js';
import { readSsoConfig, type SsoConfig } from './sso/sso.config.js';

export interface UsersConfig extends CommonConfig {
  /** Signs user tokens; users derives its assertion key, and its peers', from it. */
  jwtSecret: string;
  mongodbUri: string;
  dbName: string;
  /** SMTP when `SMTP_URL` is set; else .eml files under `DATA_DIR/outbox`. */
  mail: MailerOptions;
  /** Where the links in mails point. */
  publicUrl: string;
  /** Sign-in providers (`OIDC_*`, `GOOGLE_*`, `GITHUB_*`) and where the browser returns (`APP_URL`). */
  sso: SsoConfig;
  /** `SIGNUP_LIMIT_IP_PER_HOUR`, `SIGNUP_LIMIT_ADDRESS_PER_HOUR`: sign-ups per client address and per email. */
  signUpLimits: SignUpLimits;
  /**
   * `REAUTHENTICATION_WINDOW_MINUTES`: how recent a sign-in confirms a sensitive change on an
   * account without a password (0: never). @default 5
   */
  reauthenticationWindowMinutes: number;
  /**
   * `TWO_FACTOR_RESET_DELAY_HOURS`: how long after its owner follows the link of a
   * password-reset notice two-factor is removed (0: at once). @default 24
   */
  twoFactorResetDelayHours: number;
}

export function loadConfig(env: Env): UsersConfig {
  const reader = new EnvReader(env);
  const publicUrl = reader.url('PUBLIC_URL') ?? 'http://127.0.0.1:4000';
  const config = {
    ...readCommon(reader, 4001, 'USERS_PORT'),
    jwtSecret: readJwtSecret(reader),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    dbName: reader.string('USERS_DB', 'ufe_users'),
    mail: readMailerOptions(reader),
    publicUrl,
    sso: readSsoConfig(reader, publicUrl),
    signUpLimits: {
      perIp: reader.count('SIGNUP_LIMIT_IP_PER_HOUR', DEFAULT_SIGNUP_LIMITS.perIp, 'sign-ups an hour (0: no limit)'),
      perAddress: reader.count(
        'SIGNUP_LIMIT_ADDRESS_PER_HOUR',
        DEFAULT_SIGNUP_LIMITS.perAddress,
        'sign-ups an hour (0: no limit)',
      ),
    },
    reauthenticationWindowMinutes: reader.count('REAUTHENTICATION_WINDOW_MINUTES', 5, 'minutes'),
    twoFactorResetDelayHours: reader.count('TWO_FACTOR_RESET_DELAY_HOURS', 24, 'hours (0: at once)'),
  };
  reader.done('users');
  return config;
}
