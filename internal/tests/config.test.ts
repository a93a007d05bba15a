import { describe, expect, it } from 'vitest';
import { ConfigError, EnvReader, readCommon } from '../config/index.js';
import { maskError } from '../errors/index.js';
import { readAccountDeletionPollMs } from '../events/index.js';

describe('EnvReader', () => {
  it('reports every problem at once, saying what to set', () => {
    const reader = new EnvReader({ PORT: 'eighty', REDIS_URL: 'not a url' });
    readCommon(reader, 4000);
    expect(() => reader.done('router')).toThrow(ConfigError);
    try {
      reader.done('router');
    } catch (error) {
      expect((error as Error).message).toContain('PORT=eighty is not a port number');
      expect((error as Error).message).toContain('REDIS_URL=not a url is not a URL');
      expect((error as Error).message).toContain('JWT_SECRET is not set');
    }
  });

  it('reads defaults and values', () => {
    const reader = new EnvReader({ JWT_SECRET: 's', PORT: '5000', NODE_ENV: 'production' });
    expect(readCommon(reader, 4000)).toMatchObject({ port: 5000, production: true, host: '127.0.0.1' });
    reader.done('router');
  });
});

describe('maskError', () => {
  it('keeps contract codes and hides internal details in production', () => {
    const known = { message: 'no', extensions: { code: 'FORBIDDEN', stacktrace: ['x'] } };
    expect(maskError(known, true)).toEqual({ message: 'no', extensions: { code: 'FORBIDDEN' } });
    const internal = { message: 'E11000 duplicate key in ufe_users.users', extensions: { stacktrace: ['at db'] } };
    expect(maskError(internal, true)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(maskError(internal, false).extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('ACCOUNT_DELETION_POLL_SECONDS', () => {
  it('is 5 s by default, and refused when not a whole number of seconds from 1', () => {
    expect(readAccountDeletionPollMs(new EnvReader({}))).toBe(5_000);
    expect(readAccountDeletionPollMs(new EnvReader({ ACCOUNT_DELETION_POLL_SECONDS: '2' }))).toBe(2_000);
    for (const [value, problem] of [
      ['0', 'must be at least 1'],
      ['soon', 'ACCOUNT_DELETION_POLL_SECONDS=soon is not a whole number of seconds'],
    ] as const) {
      const reader = new EnvReader({ ACCOUNT_DELETION_POLL_SECONDS: value });
      readAccountDeletionPollMs(reader);
      expect(() => reader.done('flows')).toThrow(problem);
    }
  });
});
