import { describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, logIn, signUp, uniqueEmail } from '../internal/testing/index.js';

const url = inject('routerUrl');

const SIGN_UP = /* GraphQL */ `
  mutation ($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      refreshToken
      user {
        id
        email
        name
      }
    }
  }
`;
const ME = /* GraphQL */ `
  {
    me {
      id
      name
      email
    }
  }
`;

describe('users through the router', () => {
  it('signs up, logs in and reads me', async () => {
    const email = uniqueEmail();
    const signed = await gql(url, SIGN_UP, {
      input: { email: email.toUpperCase(), password: 'long enough pw', name: ' Ada ' },
    });
    expect(signed.errors).toBeUndefined();
    expect(signed.data?.['signUp'].user).toMatchObject({ email, name: 'Ada' });

    const logged = await logIn(url, { email, password: 'long enough pw' });
    expect(logged.errors).toBeUndefined();
    const token = logged.data?.['logIn'].accessToken as string;

    const me = await gql(url, ME, {}, token);
    expect(me.data?.['me']).toEqual({ id: signed.data?.['signUp'].user.id, name: 'Ada', email });
  });

  it('answers me with null when not signed in, and refuses a bad token', async () => {
    expect((await gql(url, ME)).data).toEqual({ me: null });
    expect(errorCodes(await gql(url, ME, {}, 'not-a-jwt'))).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    ['a bad email', { email: 'not-an-email', password: 'long enough pw', name: 'X' }, 'email'],
    ['a short password', { email: uniqueEmail(), password: 'short', name: 'X' }, 'password'],
    ['an empty name', { email: uniqueEmail(), password: 'long enough pw', name: '   ' }, 'name'],
  ])('refuses %s with BAD_USER_INPUT and creates nothing', async (_case, input, field) => {
    const result = await gql(url, SIGN_UP, { input });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.['field']).toBe(field);
    const login = await logIn(url, { email: input.email, password: input.password });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a duplicate email with CONFLICT, whatever its case', async () => {
    const user = await signUp(url, 'First');
    const again = await gql(url, SIGN_UP, {
      input: { email: user.email.toUpperCase(), password: 'another long pw', name: 'Second' },
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    // The first account is untouched: its password still works.
    const login = await logIn(url, { email: user.email, password: 'correct horse battery' });
    expect(login.errors).toBeUndefined();
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await signUp(url);
    const wrong = await logIn(url, { email: user.email, password: 'wrong password!' });
    const unknown = await logIn(url, { email: uniqueEmail(), password: 'wrong password!' });
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('exchanges a refresh token for a new pair, and refuses an access token there', async () => {
    const user = await signUp(url);
    const REFRESH = /* GraphQL */ `
      mutation ($t: String!) {
        refreshToken(token: $t) {
          accessToken
          refreshToken
          user {
            id
          }
        }
      }
    `;
    const refreshed = await gql(url, REFRESH, { t: user.refreshToken });
    expect(refreshed.data?.['refreshToken'].user.id).toBe(user.id);
    const me = await gql(url, ME, {}, refreshed.data?.['refreshToken'].accessToken as string);
    expect(me.data?.['me'].id).toBe(user.id);
    expect(errorCodes(await gql(url, REFRESH, { t: user.token }))).toEqual(['UNAUTHENTICATED']);
    // A refresh token is not an access token.
    expect(errorCodes(await gql(url, ME, {}, user.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it("lets users read their own email through a flow's owner", async () => {
    const owner = await signUp(url, 'Owner');
    const created = await gql(url, `mutation { createFlow(input: { name: "Mine" }) { id } }`, {}, owner.token);
    const flowId = created.data?.['createFlow'].id as string;
    const own = await gql(
      url,
      `query ($id: ID!) { flow(id: $id) { owner { name email } } }`,
      { id: flowId },
      owner.token,
    );
    expect(own.data?.['flow'].owner).toEqual({ name: 'Owner', email: owner.email });
  });
});
