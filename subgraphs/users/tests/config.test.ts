// The users subgraph's account settings: defaults, values, and refusals that say what to set.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { notify, type Mailer } from '#internal/mail';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017', JWT_SECRET: 'a test secret that is long enough' };

describe('account settings', () => {
  it('default to the strict side', () => {
    expect(loadConfig(base)).toMatchObject({
      signUpLimits: { perIp: 10, perAddress: 5 },
      reauthenticationWindowMinutes: 5,
      twoFactorResetDelayHours: 24,
      sso: { samlAllowInsecureIdp: false },
    });
  });

  it('read whole numbers (0 included) and the SAML switch', () => {
    const config = loadConfig({
      ...base,
      SIGNUP_LIMIT_IP_PER_HOUR: '0',
      SIGNUP_LIMIT_ADDRESS_PER_HOUR: '3',
      REAUTHENTICATION_WINDOW_MINUTES: '0',
      TWO_FACTOR_RESET_DELAY_HOURS: '0',
      SAML_ALLOW_INSECURE_IDP: '1',
    });
    expect(config).toMatchObject({
      signUpLimits: { perIp: 0, perAddress: 3 },
      reauthenticationWindowMinutes: 0,
      twoFactorResetDelayHours: 0,
      sso: { samlAllowInsecureIdp: true },
    });
  });

  it('refuse anything else, naming the variable', () => {
    const refused = (): unknown =>
      loadConfig({ ...base, TWO_FACTOR_RESET_DELAY_HOURS: 'a day', SAML_ALLOW_INSECURE_IDP: 'yes' });
    expect(refused).toThrow(/TWO_FACTOR_RESET_DELAY_HOURS=a day is not a whole number of hours/);
    expect(refused).toThrow(/SAML_ALLOW_INSECURE_IDP=yes is not a switch: set it to 1 or 0/);
  });
});

describe('notify', () => {
  it('logs a notice it could not send instead of failing what it tells of', async () => {
    const broken: Mailer = { send: () => Promise.reject(new Error('SMTP is down')) };
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => logged.push(args) } as never;
    await expect(notify(broken, { to: 'a@example.com', subject: 'Hi', text: 'x' }, logger)).resolves.toBeUndefined();
    expect(logged).toHaveLength(1);
  });
});
