// A session signed out on one users instance stops its access token at a router that
// hears from another users instance: revocations cross instances through Redis.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, signUp } from '#internal/testkit';
import { startPrivateUsers } from './setup/privateStack.js';

const env = inject('serviceEnv');
const routerA = inject('routerUrl');

describe.skipIf(!env['REDIS_URL'])('session revocation across instances (REDIS_URL)', () => {
  let routerB = '';
  let stop = async (): Promise<void> => undefined;

  beforeAll(async () => {
    ({ routerUrl: routerB, stop } = await startPrivateUsers({}));
  }, 120_000);

  afterAll(() => stop());

  /** A counter or gauge of router A's (its `/metrics`). */
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(routerA.replace(/\/graphql$/, '/metrics'))).text();
    return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };

  it('stops the token at router A within 2 s of a sign-out through router B and its own users instance', async () => {
    // Router A hears revocations as they happen (else it would only ask again each second).
    expect(await metric('router_session_revocation_stream')).toBe(1);
    const heard = await metric('router_session_revocations_total');
    const user = await signUp(routerA, 'Two instances');
    // Router A has checked (and cached) the session.
    expect((await gql(routerA, '{ me { id } }', {}, user.token)).data).toEqual({ me: { id: user.id } });
    expect((await gql(routerB, 'mutation { logOut }', {}, user.token)).data).toEqual({ logOut: true });
    const started = Date.now();
    let codes = errorCodes(await gql(routerA, '{ me { id } }', {}, user.token));
    while (codes[0] !== 'UNAUTHENTICATED' && Date.now() - started < 2_000) {
      await sleep(50);
      codes = errorCodes(await gql(routerA, '{ me { id } }', {}, user.token));
    }
    expect(codes).toEqual(['UNAUTHENTICATED']);
    // Told through the stream from its own users instance, which heard it from the other's through Redis.
    expect(await metric('router_session_revocations_total')).toBeGreaterThan(heard);
  });
});
