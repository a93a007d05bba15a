// Mail through the router: email verification and password reset by link. Without
// SMTP_URL the users subgraph writes each mail to DATA_DIR/outbox as an .eml file, which
// is where these tests read the links from.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, logIn, signUp, uniqueEmail } from '../internal/testing/index.js';
import { mailedToken, mailsTo, waitForMails } from './setup/outbox.js';

const url = inject('routerUrl');
const PASSWORD = 'correct horse battery';

const REQUEST_VERIFICATION = /* GraphQL */ `
  mutation {
    requestEmailVerification
  }
`;
const VERIFY = /* GraphQL */ `
  mutation ($token: String!) {
    verifyEmail(token: $token)
  }
`;
const REQUEST_RESET = /* GraphQL */ `
  mutation ($email: String!) {
    requestPasswordReset(email: $email)
  }
`;
const RESET = /* GraphQL */ `
  mutation ($token: String!, $password: String!) {
    resetPassword(token: $token, newPassword: $password)
  }
`;
const ME = /* GraphQL */ `
  {
    me {
      emailVerified
    }
  }
`;
const REFRESH = /* GraphQL */ `
  mutation ($token: String!) {
    refreshToken(token: $token) {
      accessToken
    }
  }
`;

describe('email verification', () => {
  it('verifies the email with the mailed link, once', async () => {
    const user = await signUp(url);
    const before = await gql<{ me: { emailVerified: boolean } }>(url, ME, {}, user.token);
    expect(before.data?.me.emailVerified).toBe(false);

    const requested = await gql<{ requestEmailVerification: boolean }>(url, REQUEST_VERIFICATION, {}, user.token);
    expect(requested.errors).toBeUndefined();
    expect(requested.data?.requestEmailVerification).toBe(true);
    const [mail] = await mailsTo(user.email);
    expect(mail).toMatch(/^From: .*no-reply@localhost/im);
    const token = await mailedToken(user.email, 'verify-email');

    // A reset link's token is no verification token, and vice versa.
    expect(errorCodes(await gql(url, RESET, { token, password: 'a new long password' }))).toEqual(['BAD_USER_INPUT']);

    const verified = await gql<{ verifyEmail: boolean }>(url, VERIFY, { token });
    expect(verified.errors).toBeUndefined();
    expect(verified.data?.verifyEmail).toBe(true);
    const after = await gql<{ me: { emailVerified: boolean } }>(url, ME, {}, user.token);
    expect(after.data?.me.emailVerified).toBe(true);

    const again = await gql(url, VERIFY, { token });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.message).toMatch(/invalid, expired or has been used/);
    // Nothing left to verify.
    const more = await gql<{ requestEmailVerification: boolean }>(url, REQUEST_VERIFICATION, {}, user.token);
    expect(more.data?.requestEmailVerification).toBe(false);
  });

  it('refuses unknown tokens and anonymous requests', async () => {
    expect(errorCodes(await gql(url, VERIFY, { token: 'x'.repeat(43) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, VERIFY, { token: 'nonsense' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, REQUEST_VERIFICATION))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('password reset', () => {
  it('sets a new password with the mailed link, once, and signs out every session', async () => {
    const user = await signUp(url);
    const requested = await gql<{ requestPasswordReset: boolean }>(url, REQUEST_RESET, {
      email: user.email.toUpperCase(),
    });
    expect(requested.data?.requestPasswordReset).toBe(true);
    const token = await mailedToken(user.email, 'reset-password');

    // A weak password is refused without spending the link.
    const weak = await gql(url, RESET, { token, password: 'short' });
    expect(errorCodes(weak)).toEqual(['BAD_USER_INPUT']);
    expect(weak.errors?.[0]?.extensions?.['field']).toBe('newPassword');

    const reset = await gql<{ resetPassword: boolean }>(url, RESET, { token, password: 'a brand new password' });
    expect(reset.errors).toBeUndefined();
    expect(reset.data?.resetPassword).toBe(true);

    expect(errorCodes(await logIn(url, { email: user.email, password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    const logged = await logIn(url, { email: user.email, password: 'a brand new password' });
    expect(logged.errors).toBeUndefined();
    // The session from sign-up is gone.
    expect(errorCodes(await gql(url, REFRESH, { token: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    // The link works once.
    const again = await gql(url, RESET, { token, password: 'yet another password' });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect((await logIn(url, { email: user.email, password: 'a brand new password' })).errors).toBeUndefined();
  });

  it('stops mailing an address while three of its links are unused, still answering true', async () => {
    const user = await signUp(url);
    for (let request = 0; request < 4; request += 1) {
      const result = await gql<{ requestPasswordReset: boolean }>(url, REQUEST_RESET, { email: user.email });
      expect(result.data?.requestPasswordReset).toBe(true);
      // One at a time: each background send has counted the ones before it.
      if (request < 3) await waitForMails(user.email, request + 1);
    }
    await sleep(1000);
    expect(await mailsTo(user.email)).toHaveLength(3);
  });

  it('answers true for an unknown email and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const result = await gql<{ requestPasswordReset: boolean }>(url, REQUEST_RESET, { email });
    expect(result.errors).toBeUndefined();
    expect(result.data?.requestPasswordReset).toBe(true);
    // The mail is sent in the background for known accounts: give it time to show up.
    await sleep(1000);
    expect(await mailsTo(email)).toEqual([]);
  });
});
