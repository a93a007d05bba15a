import { describe, expect, it } from 'vitest';
import { ConfigError } from '#internal/config';
import { loadRouterConfig } from '../src/config.js';

describe('router rate-limit configuration', () => {
  it('defaults to 600 a minute per address and 1200 per user', () => {
    expect(loadRouterConfig({ JWT_SECRET: 's' }).rateLimits).toEqual({
      ipPerMinute: 600,
      userPerMinute: 1200,
      keyPrefix: 'ufe:ratelimit:',
    });
  });

  it('reads the limits, 0 disabling one', () => {
    const config = loadRouterConfig({
      JWT_SECRET: 's',
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: ' 30 ',
      RATE_LIMIT_KEY_PREFIX: 'staging:rl:',
    });
    expect(config.rateLimits).toEqual({ ipPerMinute: 0, userPerMinute: 30, keyPrefix: 'staging:rl:' });
  });

  it('reports bad limits together with the other problems', () => {
    const load = (): unknown =>
      loadRouterConfig({ PORT: 'eighty', RATE_LIMIT_IP_PER_MINUTE: '-1', RATE_LIMIT_USER_PER_MINUTE: '1.5' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT=eighty is not a port number/);
    expect(load).toThrow(/JWT_SECRET is not set/);
    expect(load).toThrow(/RATE_LIMIT_IP_PER_MINUTE=-1 is not a whole number/);
    expect(load).toThrow(/RATE_LIMIT_USER_PER_MINUTE=1.5 is not a whole number/);
    expect(() => loadRouterConfig({ JWT_SECRET: 's', RATE_LIMIT_IP_PER_MINUTE: 'lots' })).toThrow(
      /^router: invalid configuration\n {2}- RATE_LIMIT_IP_PER_MINUTE=lots/,
    );
  });
});
