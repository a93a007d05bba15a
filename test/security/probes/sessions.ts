// A signed-out session's access tokens must stop within a second or two, open
// subscriptions included, however the session ended.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Probe } from '../probe.js';
import { collect, flowWithHistory } from '../steps.js';
import { mailedToken, ProbeClient, type SignedUp } from '../target.js';

const ME = '{ me { id } }';
const LOG_IN = /* GraphQL */ `
  mutation ($input: LogInInput!) {
    logIn(input: $input) {
      accessToken
      refreshToken
    }
  }
`;
const REFRESH = 'mutation ($token: String!) { refreshToken(token: $token) { accessToken refreshToken } }';
const SESSIONS = '{ sessions { id current } }';

/** Waits up to 2 s for `token` to be refused; how long it took. */
async function refusedWithin2s(client: ProbeClient, token: string, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const response = await client.gql(ME, {}, token);
    if (response.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') return Date.now() - started;
    assert.ok(Date.now() - started < 2_000, `after ${what}, the access token still worked 2 s later`);
    await sleep(100);
  }
}

async function secondDevice(client: ProbeClient, user: SignedUp): Promise<{ token: string; refreshToken: string }> {
  const response = await client.gql<{ logIn: { accessToken: string; refreshToken: string } }>(LOG_IN, {
    input: { email: user.email, password: user.password },
  });
  assert.ok(response.data?.logIn, `logIn failed: ${JSON.stringify(response.errors)}`);
  return { token: response.data.logIn.accessToken, refreshToken: response.data.logIn.refreshToken };
}

async function works(client: ProbeClient, token: string): Promise<void> {
  const response = await client.gql(ME, {}, token);
  assert.equal(response.errors, undefined, `a live session's token was refused: ${JSON.stringify(response.errors)}`);
}

export const sessionProbes: Probe[] = [
  {
    name: 'sessions/every-revocation-stops-access-tokens',
    severity: 'medium',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        // logOut
        const a = await client.signUp('Logs out');
        await works(client, a.token);
        await client.gql('mutation { logOut }', {}, a.token);
        await refusedWithin2s(client, a.token, 'logOut');

        // revokeSession, from another device
        const b = await client.signUp('Revokes a device');
        const device = await secondDevice(client, b);
        const sessions = await client.gql<{ sessions: { id: string; current: boolean }[] }>(SESSIONS, {}, b.token);
        const other = sessions.data?.sessions.find((session) => !session.current);
        assert.ok(other, 'no second session');
        await client.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: other.id }, b.token);
        await refusedWithin2s(client, device.token, 'revokeSession');
        await works(client, b.token);

        // changePassword signs out the other sessions
        const c = await client.signUp('Changes password');
        const old = await secondDevice(client, c);
        await client.gql(
          'mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
          { current: c.password, next: 'another long passphrase' },
          c.token,
        );
        await refusedWithin2s(client, old.token, 'changePassword');

        // a refresh token used twice revokes its session
        const d = await client.signUp('Reuses a refresh token');
        const rotated = await client.gql<{ refreshToken: { accessToken: string } }>(REFRESH, { token: d.refreshToken });
        const fresh = rotated.data?.refreshToken.accessToken;
        assert.ok(fresh, 'refresh failed');
        await client.gql(REFRESH, { token: d.refreshToken });
        await refusedWithin2s(client, fresh, 'refresh-token reuse');

        // resetPassword signs out everything
        const e = await client.signUp('Resets password');
        await client.gql('mutation ($email: String!) { requestPasswordReset(email: $email) }', { email: e.email });
        const token = await mailedToken(target, e.email, 'reset-password');
        await client.gql(
          'mutation ($token: String!, $next: String!) { resetPassword(token: $token, newPassword: $next) }',
          { token, next: 'a reset long passphrase' },
        );
        await refusedWithin2s(client, e.token, 'resetPassword');

        // deleteAccount
        const f = await client.signUp('Deletes account');
        const device2 = await secondDevice(client, f);
        await client.gql('mutation ($p: String!) { deleteAccount(password: $p) }', { p: f.password }, f.token);
        await refusedWithin2s(client, device2.token, 'deleteAccount');
      } finally {
        await client.close();
      }
    },
  },
  {
    name: 'sessions/revocation-ends-open-subscriptions',
    severity: 'medium',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const user = await client.signUp('Subscribed elsewhere');
        const flowId = await flowWithHistory(client, user, 0);
        const device = await secondDevice(client, user);
        const watching = collect(
          client.ws(device.token),
          { query: 'subscription ($id: ID!) { flowEvents(flowId: $id) { version } }', variables: { id: flowId } },
          4_000,
        );
        await sleep(500);
        const sessions = await client.gql<{ sessions: { id: string; current: boolean }[] }>(SESSIONS, {}, user.token);
        const other = sessions.data?.sessions.find((session) => !session.current);
        assert.ok(other);
        await client.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: other.id }, user.token);
        await sleep(2_000);
        // An edit after the revocation must not reach the revoked device.
        await client.gql(
          'mutation ($id: ID!) { applyFlowOps(flowId: $id, ops: [{ kind: ADD_NODE, node: { type: "screen", label: "after" } }]) { version } }',
          { id: flowId },
          user.token,
        );
        const delivered = await watching;
        assert.equal(delivered.data.length, 0, 'the revoked session kept receiving events');
        assert.ok(
          delivered.closed === 4403 || delivered.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED'),
          `the subscription was not ended: ${JSON.stringify(delivered)}`,
        );
      } finally {
        await client.close();
      }
    },
  },
];
