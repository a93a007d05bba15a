import { describe, expect, it } from 'vitest';
import { ConfigError, EnvReader } from '#internal/config';
import { readSsoConfig } from '../src/sso/sso.config.js';

const read = (env: Record<string, string>) => {
  const reader = new EnvReader(env);
  const config = readSsoConfig(reader, 'http://127.0.0.1:4000');
  reader.done('users');
  return config;
};

describe('readSsoConfig', () => {
  it('turns on exactly the providers whose variables are set', () => {
    expect(read({})).toEqual({ providers: [], appUrl: 'http://127.0.0.1:4000', samlAllowInsecureIdp: false });
    const config = read({
      OIDC_ISSUER: 'https://login.example.com/realms/x/',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 'secret',
      GITHUB_CLIENT_ID: 'gh',
      GITHUB_CLIENT_SECRET: 'ghs',
      APP_URL: 'https://app.example.com/',
    });
    expect(config.appUrl).toBe('https://app.example.com');
    expect(config.providers).toEqual([
      // Kept as written: discovery compares it with the issuer the provider publishes.
      {
        kind: 'oidc',
        name: 'oidc',
        issuer: 'https://login.example.com/realms/x/',
        clientId: 'id',
        clientSecret: 'secret',
      },
      {
        kind: 'github',
        name: 'github',
        clientId: 'gh',
        clientSecret: 'ghs',
        webUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
      },
    ]);
    expect(read({ GOOGLE_CLIENT_ID: 'g', GOOGLE_CLIENT_SECRET: 'gs' }).providers[0]).toMatchObject({
      name: 'google',
      issuer: 'https://accounts.google.com',
    });
  });

  it('reports a half-configured provider at start, saying what to set', () => {
    expect(() => read({ OIDC_ISSUER: 'https://login.example.com' })).toThrow(ConfigError);
    expect(() => read({ OIDC_ISSUER: 'https://login.example.com' })).toThrow(/OIDC_CLIENT_ID is not set/);
    expect(() => read({ GITHUB_CLIENT_ID: 'gh' })).toThrow(/GITHUB_CLIENT_SECRET is not set/);
    expect(() => read({ OIDC_ISSUER: 'nope', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' })).toThrow(/not a URL/);
  });
});
