// Sessions through the router: rotating refresh tokens with reuse detection, signing out,
// listing and revoking sessions, changing the password, deleting the account, and the
// log-in limits. The per-address limit is tested in subgraphs/users/tests (every test
// here comes from 127.0.0.1, shared with the rest of the suite).
import { describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, logIn as logInAs, signUp, uniqueEmail, type GraphQLResponse } from '#internal/testkit';

const url = inject('routerUrl');
const PASSWORD = 'correct horse battery';

interface Pair {
  accessToken: string;
  refreshToken: string;
  user: { id: string };
}

interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  ip: string | null;
  current: boolean;
}

const REFRESH = /* GraphQL */ `
  mutation ($token: String!) {
    refreshToken(token: $token) {
      accessToken
      refreshToken
      user {
        id
      }
    }
  }
`;
const SIGN_UP = /* GraphQL */ `
  mutation ($input: SignUpInput!) {
    signUp(input: $input) {
      user {
        id
      }
    }
  }
`;
const SESSIONS = /* GraphQL */ `
  {
    sessions {
      id
      createdAt
      lastUsedAt
      ip
      current
    }
  }
`;
const LOG_OUT = /* GraphQL */ `
  mutation {
    logOut
  }
`;
const REVOKE_SESSION = /* GraphQL */ `
  mutation ($id: ID!) {
    revokeSession(id: $id)
  }
`;
const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ($current: String!, $next: String!) {
    changePassword(currentPassword: $current, newPassword: $next)
  }
`;
const DELETE_ACCOUNT = /* GraphQL */ `
  mutation ($password: String!) {
    deleteAccount(password: $password)
  }
`;
const ME = /* GraphQL */ `
  {
    me {
      id
    }
  }
`;

const refresh = (token: string): Promise<GraphQLResponse<{ refreshToken: Pair }>> =>
  gql<{ refreshToken: Pair }>(url, REFRESH, { token });

const logIn = (email: string, password: string): Promise<GraphQLResponse<{ logIn: Pair }>> =>
  logInAs(url, { email, password });

/** The new pair, failing the test with the errors when there is none. */
async function refreshed(token: string): Promise<Pair> {
  const result = await refresh(token);
  expect(result.errors).toBeUndefined();
  return result.data?.refreshToken as Pair;
}

async function loggedIn(email: string, password = PASSWORD): Promise<Pair> {
  const result = await logIn(email, password);
  expect(result.errors).toBeUndefined();
  return result.data?.logIn as Pair;
}

async function sessionsOf(accessToken: string): Promise<SessionView[]> {
  const result = await gql<{ sessions: SessionView[] }>(url, SESSIONS, {}, accessToken);
  expect(result.errors).toBeUndefined();
  return result.data?.sessions ?? [];
}

const refused = async (token: string): Promise<void> => {
  expect(errorCodes(await refresh(token))).toEqual(['UNAUTHENTICATED']);
};

describe('refresh token rotation', () => {
  it('gives a new pair that works, and refuses the token it replaced', async () => {
    const user = await signUp(url);
    const next = await refreshed(user.refreshToken);
    expect(next.user.id).toBe(user.id);
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect((await gql(url, ME, {}, next.accessToken)).data).toEqual({ me: { id: user.id } });
    await refused(user.refreshToken);
  });

  it('revokes the whole session when a used token comes back: its latest token fails too', async () => {
    const user = await signUp(url);
    const second = await refreshed(user.refreshToken);
    const third = await refreshed(second.refreshToken);
    expect(await sessionsOf(third.accessToken)).toHaveLength(1);

    await refused(user.refreshToken); // the reuse
    await refused(third.refreshToken);
    await refused(second.refreshToken);
    // Its access tokens stop with it.
    expect(errorCodes(await gql(url, SESSIONS, {}, third.accessToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets exactly one of concurrent refreshes of one token through, and treats the others as reuse', async () => {
    const user = await signUp(url);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(user.refreshToken)));
    const winners = results.filter((result) => result.data?.refreshToken);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => errorCodes(result).join() === 'UNAUTHENTICATED')).toHaveLength(4);
    // The losers presented a spent token, which revokes the session: the winner's new
    // token is dead as well, and the user signs in again.
    await refused(winners[0]?.data?.refreshToken.refreshToken ?? '');
  });

  it('refuses malformed, unknown and access tokens without revoking anything', async () => {
    const user = await signUp(url);
    const [session] = await sessionsOf(user.token);
    const forged = `${session?.id}.${'A'.repeat(43)}`;
    for (const token of ['', 'garbage', forged, `${user.refreshToken}x`, user.token]) await refused(token);
    // Nothing changed: the real token still works, and the session is still listed.
    const next = await refreshed(user.refreshToken);
    expect((await sessionsOf(next.accessToken)).map((listed) => listed.id)).toEqual([session?.id]);
  });
});

describe('sessions', () => {
  it('are for signed-in callers only', async () => {
    for (const query of [SESSIONS, LOG_OUT]) expect(errorCodes(await gql(url, query))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(url, REVOKE_SESSION, { id: '0123456789abcdef01234567' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('lists one session per sign-in, and revokeSession ends one while the other keeps working', async () => {
    const user = await signUp(url);
    const second = await loggedIn(user.email);
    const sessions = await sessionsOf(user.token);
    expect(sessions).toHaveLength(2);
    for (const session of sessions) {
      expect(session).toMatchObject({ id: expect.any(String), ip: expect.any(String) });
      expect(Date.parse(session.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(session.createdAt));
    }
    // Most recently used first: the log-in's session.
    const [loginSession, signUpSession] = sessions;

    const revoked = await gql(url, REVOKE_SESSION, { id: loginSession?.id }, user.token);
    expect(revoked).toEqual({ data: { revokeSession: true } });
    expect((await sessionsOf(user.token)).map((session) => session.id)).toEqual([signUpSession?.id]);
    await refused(second.refreshToken);
    await refreshed(user.refreshToken);
    // Revoking it again: it is no longer there.
    expect(errorCodes(await gql(url, REVOKE_SESSION, { id: loginSession?.id }, user.token))).toEqual(['NOT_FOUND']);
  });

  it("answers NOT_FOUND for another user's session (and for nonsense), and leaves it alone", async () => {
    const owner = await signUp(url);
    const other = await signUp(url);
    const [ownersSession] = await sessionsOf(owner.token);
    for (const id of [ownersSession?.id, 'not-a-session', '0123456789abcdef01234567']) {
      expect(errorCodes(await gql(url, REVOKE_SESSION, { id }, other.token))).toEqual(['NOT_FOUND']);
    }
    expect(await sessionsOf(owner.token)).toHaveLength(1);
    await refreshed(owner.refreshToken);
  });

  it('logOut ends the current session only', async () => {
    const user = await signUp(url);
    const other = await loggedIn(user.email);
    const listed = await sessionsOf(user.token);
    expect(listed.filter((session) => session.current)).toHaveLength(1);

    expect(await gql(url, LOG_OUT, {}, user.token)).toEqual({ data: { logOut: true } });
    await refused(user.refreshToken);
    // The other session is untouched.
    const next = await refreshed(other.refreshToken);
    expect(await sessionsOf(next.accessToken)).toEqual([expect.objectContaining({ current: true })]);
  });
});

describe('changePassword', () => {
  const NEW_PASSWORD = 'a brand new passphrase';

  it('refuses a wrong current password or a bad new one with BAD_USER_INPUT, changing nothing', async () => {
    const user = await signUp(url);
    const wrong = await gql(url, CHANGE_PASSWORD, { current: 'not my password', next: NEW_PASSWORD }, user.token);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors?.[0]?.extensions?.['field']).toBe('currentPassword');
    const short = await gql(url, CHANGE_PASSWORD, { current: PASSWORD, next: 'short' }, user.token);
    expect(errorCodes(short)).toEqual(['BAD_USER_INPUT']);
    expect(short.errors?.[0]?.extensions?.['field']).toBe('newPassword');

    // Nothing changed: the session still refreshes and the password is the old one.
    await refreshed(user.refreshToken);
    await loggedIn(user.email, PASSWORD);
  });

  it('changes it, and signs out every other session while the current one survives', async () => {
    const user = await signUp(url);
    const current = await loggedIn(user.email);

    const changed = await gql(url, CHANGE_PASSWORD, { current: PASSWORD, next: NEW_PASSWORD }, current.accessToken);
    expect(changed).toEqual({ data: { changePassword: true } });

    expect(errorCodes(await logIn(user.email, PASSWORD))).toEqual(['UNAUTHENTICATED']);
    await loggedIn(user.email, NEW_PASSWORD);
    await refused(user.refreshToken);
    await refreshed(current.refreshToken);
  });
});

describe('deleteAccount', () => {
  it('refuses a wrong password with BAD_USER_INPUT and deletes nothing', async () => {
    const user = await signUp(url);
    const wrong = await gql(url, DELETE_ACCOUNT, { password: 'not my password' }, user.token);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors?.[0]?.extensions?.['field']).toBe('password');
    expect((await gql(url, ME, {}, user.token)).data).toEqual({ me: { id: user.id } });
    await refreshed(user.refreshToken);
  });

  it('deletes the user and its sessions', async () => {
    const user = await signUp(url);
    const other = await loggedIn(user.email);
    expect(await gql(url, DELETE_ACCOUNT, { password: PASSWORD }, user.token)).toEqual({
      data: { deleteAccount: true },
    });

    expect(errorCodes(await logIn(user.email, PASSWORD))).toEqual(['UNAUTHENTICATED']);
    await refused(user.refreshToken);
    await refused(other.refreshToken);
    // Its access tokens stop with its sessions.
    expect(errorCodes(await gql(url, ME, {}, user.token))).toEqual(['UNAUTHENTICATED']);
    // The email is free again.
    const again = await gql(url, SIGN_UP, { input: { email: user.email, password: PASSWORD, name: 'Again' } });
    expect(again.errors).toBeUndefined();
  });
});

describe('log-in limits', () => {
  const wrongPassword = 'wrong password!';

  async function failFiveTimes(email: string): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(errorCodes(await logIn(email, wrongPassword)), `attempt ${attempt}`).toEqual(['UNAUTHENTICATED']);
    }
  }

  function expectRateLimited(result: GraphQLResponse<unknown>): number {
    expect(errorCodes(result)).toEqual(['RATE_LIMITED']);
    expect(result.data ?? null).toBeNull();
    const retryAfter = result.errors?.[0]?.extensions?.['retryAfterSeconds'];
    expect(retryAfter).toEqual(expect.any(Number));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    return retryAfter as number;
  }

  // One test for both, to spend as few of 127.0.0.1's failures as possible.
  it('refuses an account after 5 failures in 15 minutes, even with the right password, and an unknown email alike', async () => {
    const user = await signUp(url);
    await failFiveTimes(user.email);
    const sixth = await logIn(user.email, wrongPassword);
    expectRateLimited(sixth);
    const right = await logIn(user.email, PASSWORD);
    expectRateLimited(right);
    expect(right.errors?.[0]?.message).toBe(sixth.errors?.[0]?.message);
    // No session was made, and the existing one is untouched.
    expect(await sessionsOf(user.token)).toHaveLength(1);
    await refreshed(user.refreshToken);

    // Nothing tells an unknown email from a known one.
    const email = uniqueEmail('nobody');
    await failFiveTimes(email);
    const unknown = await logIn(email, wrongPassword);
    expectRateLimited(unknown);
    expect(unknown.errors?.[0]?.message).toBe(sixth.errors?.[0]?.message);
    expect(Object.keys(unknown.errors?.[0]?.extensions ?? {}).sort()).toEqual(
      Object.keys(sixth.errors?.[0]?.extensions ?? {}).sort(),
    );
  });
});
