// Mail through the router: email verification and password reset by link. Without
// SMTP_URL the users subgraph writes each mail to DATA_DIR/outbox as an .eml file, which
// is where these tests read the links from.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, logIn, signUp, uniqueEmail } from '#internal/testkit';
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

const REQUEST_CHANGE = /* GraphQL */ `
  mutation ($newEmail: String!, $password: String) {
    requestEmailChange(newEmail: $newEmail, password: $password)
  }
`;
const CONFIRM_CHANGE = /* GraphQL */ `
  mutation ($token: String!) {
    confirmEmailChange(token: $token)
  }
`;

describe('email change', () => {
  it('takes the password, then a link mailed to the new address; the old one is told, other sessions end', async () => {
    const user = await signUp(url);
    const elsewhere = await logIn(url, { email: user.email, password: PASSWORD });
    const newEmail = uniqueEmail('moved');
    const bare = await gql(url, REQUEST_CHANGE, { newEmail }, user.token);
    expect(errorCodes(bare)).toEqual(['FORBIDDEN']);
    expect(bare.errors?.[0]?.extensions?.['reason']).toBe('REAUTHENTICATION_REQUIRED');
    const wrong = await gql(url, REQUEST_CHANGE, { newEmail, password: 'not the password' }, user.token);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors?.[0]?.extensions?.['field']).toBe('password');
    expect(await mailsTo(newEmail)).toEqual([]);

    const requested = await gql(url, REQUEST_CHANGE, { newEmail, password: PASSWORD }, user.token);
    expect(requested.data?.['requestEmailChange']).toBe(true);
    const [notice] = await mailsTo(user.email);
    expect(notice).toMatch(/^Subject: Your email address is about to change/m);
    expect(notice).toContain(newEmail);
    const token = await mailedToken(newEmail, 'confirm-email-change');
    // Until the link is opened, nothing changed.
    expect((await logIn(url, { email: user.email, password: PASSWORD })).errors).toBeUndefined();

    const confirmed = await gql(url, CONFIRM_CHANGE, { token }, user.token);
    expect(confirmed.errors).toBeUndefined();
    const me = await gql(url, '{ me { email emailVerified } }', {}, user.token);
    expect(me.data?.['me']).toEqual({ email: newEmail, emailVerified: true });
    expect(errorCodes(await logIn(url, { email: user.email, password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    const relogged = await logIn(url, { email: newEmail, password: PASSWORD });
    expect(relogged.errors).toBeUndefined();
    // The session that confirmed stays; the other one is signed out.
    expect((await gql(url, REFRESH, { token: user.refreshToken })).errors).toBeUndefined();
    expect(errorCodes(await gql(url, REFRESH, { token: elsewhere.data?.logIn.refreshToken }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await mailsTo(user.email))[0]).toMatch(/^Subject: Your email address has changed/m);
    expect(errorCodes(await gql(url, CONFIRM_CHANGE, { token }))).toEqual(['BAD_USER_INPUT']);
    const log = await gql(url, '{ myAuditLog(first: 10) { edges { node { type details } } } }', {}, user.token);
    const types = (log.data?.['myAuditLog'].edges as { node: { type: string } }[]).map((edge) => edge.node.type);
    expect(types).toEqual(expect.arrayContaining(['EMAIL_CHANGE_REQUESTED', 'EMAIL_CHANGED']));
  });

  it('refuses a taken address, when asked and when the link is opened, changing nothing', async () => {
    const user = await signUp(url);
    const other = await signUp(url);
    const ask = (newEmail: string) => gql(url, REQUEST_CHANGE, { newEmail, password: PASSWORD }, user.token);
    expect(errorCodes(await ask(other.email.toUpperCase()))).toEqual(['CONFLICT']);
    for (const bad of ['not an address', user.email]) {
      const refused = await ask(bad);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0]?.extensions?.['field']).toBe('newEmail');
    }
    // Taken between the request and the link.
    const later = uniqueEmail('taken-later');
    expect((await ask(later)).errors).toBeUndefined();
    const token = await mailedToken(later, 'confirm-email-change');
    await gql(url, 'mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
      i: { email: later, password: PASSWORD, name: 'Quicker' },
    });
    expect(errorCodes(await gql(url, CONFIRM_CHANGE, { token }))).toEqual(['CONFLICT']);
    const me = await gql(url, '{ me { email } }', {}, user.token);
    expect(me.data?.['me'].email).toBe(user.email);
  });
});
