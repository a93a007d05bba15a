import { describe, expect, it } from 'vitest';
import { assertionKey } from '#internal/auth';
import { ConfigError, EnvReader, readAssertionKey, readCommon, readJwtSecret } from '#internal/config';
import { maskError } from '#internal/errors';
import { readAccountDeletionPollMs } from '#internal/events';

describe('EnvReader', () => {
  it('reports every problem at once, saying what to set', () => {
    const reader = new EnvReader({ PORT: 'eighty', REDIS_URL: 'not a url' });
    readCommon(reader, 4000);
    readJwtSecret(reader);
    expect(() => reader.done('router')).toThrow(ConfigError);
    try {
      reader.done('router');
    } catch (error) {
      expect((error as Error).message).toContain('PORT=eighty is not a port number');
      expect((error as Error).message).toContain('REDIS_URL=not a url is not a URL');
      expect((error as Error).message).toContain('JWT_SECRET is not set');
    }
  });

  it('reads whole numbers and switches, reporting anything else', () => {
    const reader = new EnvReader({ N: '12', ZERO: '0', BAD: '1.5', NEG: '-1', ON: 'true', OFF: '0', MAYBE: 'yes' });
    expect([
      reader.count('N', 3, 'things'),
      reader.count('ZERO', 3, 'things'),
      reader.count('UNSET', 3, 'things'),
    ]).toEqual([12, 0, 3]);
    expect([reader.flag('ON'), reader.flag('OFF', true), reader.flag('UNSET')]).toEqual([true, false, false]);
    expect(reader.count('BAD', 3, 'things')).toBe(3);
    reader.count('NEG', 3, 'things');
    reader.flag('MAYBE');
    expect(() => reader.done('users')).toThrow(
      /BAD=1\.5 is not a whole number of things[\s\S]*NEG=-1[\s\S]*MAYBE=yes is not a switch: set it to 1 or 0/,
    );
  });

  it('reads defaults and values', () => {
    const reader = new EnvReader({ JWT_SECRET: 's', PORT: '5000', NODE_ENV: 'production' });
    expect(readCommon(reader, 4000)).toMatchObject({ port: 5000, production: true, host: '127.0.0.1' });
    reader.done('router');
  });
});

describe('readAssertionKey', () => {
  const key = Buffer.from(assertionKey('secret', 'flows')).toString('base64url');

  it("reads a subgraph's own key", () => {
    const reader = new EnvReader({ ASSERTION_KEY: key });
    expect(readAssertionKey(reader, 'flows', true)).toEqual(assertionKey('secret', 'flows'));
    reader.done('flows');
  });

  it('derives it from JWT_SECRET outside production only', () => {
    expect(readAssertionKey(new EnvReader({ JWT_SECRET: 'secret' }), 'flows', false)).toEqual(
      assertionKey('secret', 'flows'),
    );
    const production = new EnvReader({ JWT_SECRET: 'secret' });
    readAssertionKey(production, 'flows', true);
    expect(() => production.done('flows')).toThrow(/ASSERTION_KEY is not set: give flows its own key/);
  });

  it('refuses a key of the wrong size', () => {
    const reader = new EnvReader({ ASSERTION_KEY: 'c2hvcnQ' });
    readAssertionKey(reader, 'flows', false);
    expect(() => reader.done('flows')).toThrow(/not 32 bytes/);
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
