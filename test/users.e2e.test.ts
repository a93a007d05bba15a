import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, logIn, signUp, uniqueEmail } from '#internal/testkit';
import { startPrivateUsers } from './setup/privateStack.js';

const url = inject('routerUrl');
const serviceEnv = inject('serviceEnv');

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

  it('gives the same answer, and leaves the same trace, for a wrong password and an unknown email', async () => {
    const user = await signUp(url);
    const nobody = uniqueEmail('nobody');
    const wrong = await logIn(url, { email: user.email, password: 'wrong password!' });
    const unknown = await logIn(url, { email: nobody, password: 'wrong password!' });
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);

    // The audit log's own records: the one of an unknown address is read by nobody through the API.
    const db = await mongoose
      .createConnection(serviceEnv['MONGODB_URI'] ?? '', { dbName: 'ufe_users', retryWrites: false })
      .asPromise();
    try {
      const failure = async (email: string) => {
        const hash = createHash('sha256').update(email).digest('hex');
        const records = await db.collection('audit_events').find({ type: 'LOGIN_FAILED' }).toArray();
        const found = records.filter((record) => String(record['details']).includes(hash));
        expect(found).toHaveLength(1);
        const record = found[0];
        return {
          subjectId: record?.['subjectId'],
          actorId: record?.['actorId'],
          details: JSON.parse(String(record?.['details'])) as unknown,
        };
      };
      expect(await failure(user.email)).toEqual({
        subjectId: user.id,
        actorId: null,
        details: { reason: 'password', emailHash: expect.any(String) },
      });
      expect(await failure(nobody)).toEqual({
        subjectId: null,
        actorId: null,
        details: { reason: 'password', emailHash: expect.any(String) },
      });
    } finally {
      await db.close();
    }
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

describe('sign-up limits', () => {
  // A users instance of its own with low limits: the suite's signs up from 127.0.0.1 without them.
  let limited: Awaited<ReturnType<typeof startPrivateUsers>>;
  beforeAll(async () => {
    limited = await startPrivateUsers({ SIGNUP_LIMIT_IP_PER_HOUR: '4', SIGNUP_LIMIT_ADDRESS_PER_HOUR: '2' });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  const signUpAt = (email: string) =>
    gql(limited.routerUrl, SIGN_UP, { input: { email, password: 'long enough pw', name: 'Prober' } });
  const retryAfter = (result: Awaited<ReturnType<typeof signUpAt>>) =>
    result.errors?.[0]?.extensions?.['retryAfterSeconds'];

  it('counts every sign-up, taken address or not, per email and per client address', async () => {
    const probed = uniqueEmail('probed');
    expect((await signUpAt(probed)).errors).toBeUndefined();
    expect(errorCodes(await signUpAt(probed))).toEqual(['CONFLICT']);
    const perAddress = await signUpAt(probed.toUpperCase());
    expect(errorCodes(perAddress)).toEqual(['RATE_LIMITED']);
    expect(retryAfter(perAddress)).toBeGreaterThan(3500);
    // A refused attempt does not count: two more addresses reach the client's limit of 4.
    expect((await signUpAt(uniqueEmail('other'))).errors).toBeUndefined();
    expect((await signUpAt(uniqueEmail('other'))).errors).toBeUndefined();
    const perIp = await signUpAt(uniqueEmail('other'));
    expect(errorCodes(perIp)).toEqual(['RATE_LIMITED']);
    expect(retryAfter(perIp)).toBeGreaterThan(3500);
  });
});
