import { describe, expect, it } from 'vitest';
import type { Identity } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import { violationError, type OperationAuthorization } from '../src/auth/authorize.js';
import { recheckOf } from '../src/auth/fieldAuthorization.js';

const NOW = Date.UTC(2030, 0, 1);
const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Grants whatever `decide` says for each identity, counting how often it is asked. */
function authorizer(decide: (identity: Identity | null) => OperationAuthorization) {
  const calls: (Identity | null)[] = [];
  return {
    calls,
    authorize: (identity: Identity | null) => {
      calls.push(identity);
      return decide(identity);
    },
  };
}

const authorized: OperationAuthorization = { kind: 'authorized' };
const refused: OperationAuthorization = {
  kind: 'refused',
  error: violationError([{ path: 'flowEvents', code: ErrorCode.FORBIDDEN }]),
};

describe('recheckOf (before each event of a subscription)', () => {
  it('lets events through while the token is valid, without re-authorizing the same identity', () => {
    const identity: Identity = { userId: 'u', expiresAt: seconds(NOW) + 60 };
    const { calls, authorize } = authorizer(() => authorized);
    const check = recheckOf(authorize, identity, authorized);
    expect(check(identity, NOW)).toBeUndefined();
    expect(check(identity, NOW + 59_000)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('ends the subscription once the token has expired (exp <= now, as jose decides)', () => {
    const identity: Identity = { userId: 'u', expiresAt: seconds(NOW) + 2 };
    const check = recheckOf(authorizer(() => authorized).authorize, identity, authorized);
    expect(check(identity, NOW + 1_999)).toBeUndefined();
    expect(check(identity, NOW + 2_000)?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(check(identity, NOW + 2_000)?.message).toMatch(/reconnect with a fresh token/);
  });

  it('never expires a token without exp, nor an anonymous caller', () => {
    const check = recheckOf(authorizer(() => authorized).authorize, null, authorized);
    expect(check(null, NOW)).toBeUndefined();
    expect(check({ userId: 'u' }, NOW)).toBeUndefined();
  });

  it('re-authorizes a new identity once, and ends the subscription if it may no longer see the same', () => {
    const first: Identity = { userId: 'u', scopes: ['admin'] };
    const same: Identity = { userId: 'u', scopes: ['admin'] };
    const weaker: Identity = { userId: 'u', scopes: [] };
    const { calls, authorize } = authorizer((identity) => (identity?.scopes?.length ? authorized : refused));
    const check = recheckOf(authorize, first, authorized);
    expect(check(same, NOW)).toBeUndefined();
    expect(check(same, NOW)).toBeUndefined();
    expect(calls).toEqual([same]);
    expect(check(weaker, NOW)?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});
