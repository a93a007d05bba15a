// TOTP two-factor through the router: enrolment, confirmation, log-in with a code, wrong
// and replayed codes, recovery codes (once each, and new ones), turning it off; every change
// confirmed by the password (or, without one, a recent sign-in); removal through the
// notice of a password reset, after a delay.
import mongoose from 'mongoose';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  errorCodes,
  gql,
  logIn as logInAs,
  signUp,
  uniqueEmail,
  type GraphQLResponse,
  type TestUser,
} from '#internal/testkit';
import { mailedToken, mailsTo, waitForMails } from './setup/outbox.js';
import { startPrivateUsers } from './setup/privateStack.js';
import { createTestIdp } from './setup/samlIdp.js';
import { acs, assertion, exchange, workspaceWithSaml } from './setup/samlWorkspace.js';

const url = inject('routerUrl');
const PASSWORD = 'correct horse battery';
const PERIOD = 30;

const ENROLL = /* GraphQL */ `
  mutation ($password: String) {
    enrollTwoFactor(password: $password) {
      secret
      otpauthUri
    }
  }
`;
const CONFIRM = /* GraphQL */ `
  mutation ($code: String!) {
    confirmTwoFactor(code: $code) {
      codes
    }
  }
`;
const DISABLE = /* GraphQL */ `
  mutation ($code: String!, $password: String) {
    disableTwoFactor(code: $code, password: $password)
  }
`;
const REGENERATE = /* GraphQL */ `
  mutation ($code: String!, $password: String) {
    regenerateRecoveryCodes(code: $code, password: $password) {
      codes
    }
  }
`;
const ME = /* GraphQL */ `
  {
    me {
      twoFactorEnabled
    }
  }
`;

interface LogInResult {
  logIn: { accessToken: string; user: { id: string; twoFactorEnabled: boolean } };
}

const logIn = (email: string, totp?: string): Promise<GraphQLResponse<LogInResult>> =>
  logInAs(url, { email, password: PASSWORD, ...(totp === undefined ? {} : { totp }) });

/**
 * Codes of steps not used yet: the server refuses a step's code a second time, and accepts
 * the steps next to the current one, so each call takes a fresh step of the window.
 */
function codes(secret: string): () => Promise<string> {
  const used = new Set<number>();
  return async () => {
    const now = Math.floor(Date.now() / 1000 / PERIOD);
    // The current step first, then the next, then the previous (the first to leave the window).
    const step = [now, now + 1, now - 1].find((candidate) => !used.has(candidate));
    if (step === undefined) throw new Error('every step of the window is used');
    used.add(step);
    return generate({ secret, epoch: step * PERIOD + 1 });
  };
}

/**
 * A user with two-factor on, their email verified first (a reset of an account that never
 * proved its email takes it back, two-factor included): their secret, a code source and
 * their recovery codes.
 */
async function enrolled(): Promise<{
  user: TestUser;
  secret: string;
  next: () => Promise<string>;
  recovery: string[];
}> {
  const user = await signUp(url);
  await gql(url, 'mutation { requestEmailVerification }', {}, user.token);
  const verified = await gql(url, 'mutation ($t: String!) { verifyEmail(token: $t) }', {
    t: await mailedToken(user.email, 'verify-email'),
  });
  expect(verified.errors).toBeUndefined();
  const enrolment = await gql<{ enrollTwoFactor: { secret: string; otpauthUri: string } }>(
    url,
    ENROLL,
    { password: PASSWORD },
    user.token,
  );
  expect(enrolment.errors).toBeUndefined();
  const secret = enrolment.data?.enrollTwoFactor.secret ?? '';
  const next = codes(secret);
  const confirmed = await gql<{ confirmTwoFactor: { codes: string[] } }>(
    url,
    CONFIRM,
    { code: await next() },
    user.token,
  );
  expect(confirmed.errors).toBeUndefined();
  return { user, secret, next, recovery: confirmed.data?.confirmTwoFactor.codes ?? [] };
}

describe('two-factor', () => {
  it('enrols with a secret and an otpauth URI, pending until confirmed', async () => {
    const user = await signUp(url);
    const result = await gql<{ enrollTwoFactor: { secret: string; otpauthUri: string } }>(
      url,
      ENROLL,
      { password: PASSWORD },
      user.token,
    );
    expect(result.errors).toBeUndefined();
    const { secret, otpauthUri } = result.data?.enrollTwoFactor ?? { secret: '', otpauthUri: '' };
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('UX-Flow-Engine');
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    // Not on yet: log-in needs no code, and the flag is off.
    const me = await gql<{ me: { twoFactorEnabled: boolean } }>(url, ME, {}, user.token);
    expect(me.data?.me.twoFactorEnabled).toBe(false);
    expect((await logIn(user.email)).errors).toBeUndefined();
  });

  it('refuses a wrong confirmation code and anonymous callers', async () => {
    const user = await signUp(url);
    await gql(url, ENROLL, { password: PASSWORD }, user.token);
    const wrong = await gql(url, CONFIRM, { code: '000000' }, user.token);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, ENROLL))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(url, CONFIRM, { code: '000000' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('asks for a code at log-in, refuses wrong and replayed ones, takes recovery codes once, and turns off', async () => {
    const { user, next, recovery } = await enrolled();
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const me = await gql<{ me: { twoFactorEnabled: boolean } }>(url, ME, {}, user.token);
    expect(me.data?.me.twoFactorEnabled).toBe(true);
    // Enrolling again while on is refused; the secret is never shown again.
    expect(errorCodes(await gql(url, ENROLL, { password: PASSWORD }, user.token))).toEqual(['CONFLICT']);

    const missing = await logIn(user.email);
    expect(errorCodes(missing)).toEqual(['UNAUTHENTICATED']);
    expect(missing.errors?.[0]?.extensions?.['twoFactorRequired']).toBe(true);
    expect(missing.errors?.[0]?.message).toMatch(/two-factor/i);

    const wrong = await logIn(user.email, '000000');
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);

    const code = await next();
    const right = await logIn(user.email, code);
    expect(right.errors).toBeUndefined();
    expect(right.data?.logIn.user).toMatchObject({ id: user.id, twoFactorEnabled: true });
    // The same code again, still inside its window: a replay.
    expect(errorCodes(await logIn(user.email, code))).toEqual(['UNAUTHENTICATED']);

    const [first, second] = recovery;
    expect((await logIn(user.email, first)).errors).toBeUndefined();
    expect(errorCodes(await logIn(user.email, first))).toEqual(['UNAUTHENTICATED']);

    // Turning off takes a code too: a wrong one is refused, a recovery code works.
    expect(errorCodes(await gql(url, DISABLE, { code: '000000', password: PASSWORD }, user.token))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const disabled = await gql<{ disableTwoFactor: boolean }>(
      url,
      DISABLE,
      { code: second, password: PASSWORD },
      user.token,
    );
    expect(disabled.errors).toBeUndefined();
    expect(disabled.data?.disableTwoFactor).toBe(true);
    const after = await logIn(user.email);
    expect(after.errors).toBeUndefined();
    expect(after.data?.logIn.user.twoFactorEnabled).toBe(false);
  });

  it('turns off with a TOTP code', async () => {
    const { user, next } = await enrolled();
    const disabled = await gql<{ disableTwoFactor: boolean }>(
      url,
      DISABLE,
      { code: await next(), password: PASSWORD },
      user.token,
    );
    expect(disabled.errors).toBeUndefined();
    expect((await logIn(user.email)).errors).toBeUndefined();
  });

  it('counts wrong codes against the log-in limits', async () => {
    const { user, next } = await enrolled();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(errorCodes(await logIn(user.email, '000000'))).toEqual(['UNAUTHENTICATED']);
    }
    // Now even the right code is not checked.
    const limited = await logIn(user.email, await next());
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
  });
});

const reasonOf = (result: GraphQLResponse<unknown>): unknown => result.errors?.[0]?.extensions?.['reason'];
const NEW_PASSWORD = 'a password set by mail';

async function auditTypes(token: string): Promise<string[]> {
  const log = await gql<{ myAuditLog: { edges: { node: { type: string } }[] } }>(
    url,
    '{ myAuditLog(first: 50) { edges { node { type } } } }',
    {},
    token,
  );
  return log.data?.myAuditLog.edges.map((edge) => edge.node.type) ?? [];
}

const RESET_TWO_FACTOR = /* GraphQL */ `
  mutation ($token: String!) {
    resetTwoFactor(token: $token)
  }
`;

/** Resets the user's password by mail: the `resetTwoFactor` token of the notice that follows. */
async function resetWithNotice(user: TestUser): Promise<string> {
  const before = (await mailsTo(user.email)).length;
  await gql(url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email: user.email });
  // Sent in the background: wait for it, not to take an earlier link.
  await waitForMails(user.email, before + 1);
  const token = await mailedToken(user.email, 'reset-password');
  const reset = await gql(url, 'mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }', {
    t: token,
    p: NEW_PASSWORD,
  });
  expect(reset.errors).toBeUndefined();
  const [notice] = await mailsTo(user.email);
  expect(notice).toMatch(/^Subject: Your password was reset/m);
  return mailedToken(user.email, 'reset-two-factor');
}

describe('changing two-factor needs more than an access token', () => {
  it('refuses enrolment without the password, and counts wrong ones against the log-in limits', async () => {
    const user = await signUp(url);
    const bare = await gql(url, ENROLL, {}, user.token);
    expect([errorCodes(bare), reasonOf(bare)]).toEqual([['FORBIDDEN'], 'REAUTHENTICATION_REQUIRED']);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await gql(url, ENROLL, { password: 'not the password' }, user.token);
      expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
      expect(wrong.errors?.[0]?.extensions?.['field']).toBe('password');
    }
    expect(errorCodes(await gql(url, ENROLL, { password: PASSWORD }, user.token))).toEqual(['RATE_LIMITED']);
  });

  it('turns off and makes new recovery codes with the password and a code', async () => {
    const { user, next, recovery } = await enrolled();
    for (const mutation of [DISABLE, REGENERATE]) {
      const bare = await gql(url, mutation, { code: '000000' }, user.token);
      expect([errorCodes(bare), reasonOf(bare)]).toEqual([['FORBIDDEN'], 'REAUTHENTICATION_REQUIRED']);
    }
    const regenerated = await gql<{ regenerateRecoveryCodes: { codes: string[] } }>(
      url,
      REGENERATE,
      { code: await next(), password: PASSWORD },
      user.token,
    );
    expect(regenerated.errors).toBeUndefined();
    const fresh = regenerated.data?.regenerateRecoveryCodes.codes ?? [];
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recovery.includes(code))).toEqual([]);
    // The old codes are gone, the new ones work.
    expect(errorCodes(await logIn(user.email, recovery[0]))).toEqual(['UNAUTHENTICATED']);
    expect((await logIn(user.email, fresh[0])).errors).toBeUndefined();
    expect(await auditTypes(user.token)).toContain('RECOVERY_CODES_REGENERATED');
  });
});

describe('an account without a password (made by a sign-in provider)', () => {
  let stricter: Awaited<ReturnType<typeof startPrivateUsers>>;
  beforeAll(async () => {
    stricter = await startPrivateUsers({ REAUTHENTICATION_WINDOW_MINUTES: '0', TWO_FACTOR_RESET_DELAY_HOURS: '0' });
  });
  afterAll(async () => {
    await stricter?.stop();
  });

  /** A new account made by a workspace IdP through `routerUrl`, just signed in. */
  async function viaIdp(routerUrl: string): Promise<{ accessToken: string }> {
    const owner = await signUp(routerUrl);
    const sp = await workspaceWithSaml(routerUrl, owner, await createTestIdp('https://idp-2fa.example.com/metadata'));
    const { code } = await acs(routerUrl, sp.workspaceId, assertion(sp, uniqueEmail('sso-2fa')));
    return exchange(routerUrl, code);
  }

  it('confirms a change by a recent sign-in instead', async () => {
    const { accessToken } = await viaIdp(url);
    const me = await gql<{ me: { hasPassword: boolean } }>(url, '{ me { hasPassword } }', {}, accessToken);
    expect(me.data?.me.hasPassword).toBe(false);
    // Its password is nobody's: guessing one is wrong like any wrong password.
    expect(errorCodes(await gql(url, ENROLL, { password: PASSWORD }, accessToken))).toEqual(['BAD_USER_INPUT']);
    const enrolled = await gql<{ enrollTwoFactor: { secret: string } }>(url, ENROLL, {}, accessToken);
    expect(enrolled.errors).toBeUndefined();
  });

  it('is refused once the sign-in is older than REAUTHENTICATION_WINDOW_MINUTES (0 here)', async () => {
    const { accessToken } = await viaIdp(stricter.routerUrl);
    const refused = await gql(stricter.routerUrl, ENROLL, {}, accessToken);
    expect([errorCodes(refused), reasonOf(refused)]).toEqual([['FORBIDDEN'], 'REAUTHENTICATION_REQUIRED']);
    expect(refused.errors?.[0]?.message).toMatch(/sign in again/i);
  });

  it('removes two-factor at once through a password-reset notice with TWO_FACTOR_RESET_DELAY_HOURS=0', async () => {
    const { user } = await enrolled();
    const token = await resetWithNotice(user);
    const removed = await gql<{ resetTwoFactor: string }>(stricter.routerUrl, RESET_TWO_FACTOR, { token });
    expect(Date.parse(removed.data?.resetTwoFactor ?? '')).toBeLessThanOrEqual(Date.now());
    const loggedIn = await logInAs(url, { email: user.email, password: NEW_PASSWORD });
    expect(loggedIn.data?.logIn.user.twoFactorEnabled).toBe(false);
    expect((await mailsTo(user.email))[0]).toMatch(/^Subject: Two-factor authentication was removed/m);
  });
});

describe('removing two-factor through the notice of a password reset', () => {
  it('mails a notice after a reset, with no removal link when two-factor is off', async () => {
    const user = await signUp(url);
    await gql(url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email: user.email });
    const token = await mailedToken(user.email, 'reset-password');
    await gql(url, 'mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }', {
      t: token,
      p: NEW_PASSWORD,
    });
    const [notice] = await mailsTo(user.email);
    expect(notice).toMatch(/^Subject: Your password was reset/m);
    expect(notice).not.toContain('reset-two-factor');
  });

  it('waits 24 hours, mailing the owner; a sign-in with the code cancels; once due, log-in needs no code', async () => {
    const { user, next } = await enrolled();
    const due = await gql<{ resetTwoFactor: string }>(url, RESET_TWO_FACTOR, { token: await resetWithNotice(user) });
    expect(Date.parse(due.data?.resetTwoFactor ?? '') - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect((await mailsTo(user.email))[0]).toMatch(/^Subject: Two-factor authentication will be removed/m);
    // Not yet: the password alone does not sign in.
    const early = await logInAs(url, { email: user.email, password: NEW_PASSWORD });
    expect(early.errors?.[0]?.extensions?.['twoFactorRequired']).toBe(true);
    // The owner still has the authenticator: signing in with it cancels the removal.
    const withCode = await logInAs(url, { email: user.email, password: NEW_PASSWORD, totp: await next() });
    expect(withCode.errors).toBeUndefined();
    const token = withCode.data?.logIn.accessToken ?? '';
    expect(await auditTypes(token)).toEqual(
      expect.arrayContaining(['PASSWORD_RESET', 'TWO_FACTOR_RESET_SCHEDULED', 'TWO_FACTOR_RESET_CANCELLED']),
    );
    expect((await mailsTo(user.email))[0]).toMatch(/^Subject: Two-factor authentication stays on/m);

    // Asked again, and left to fall due (the clock moved by hand in the store).
    expect((await gql(url, RESET_TWO_FACTOR, { token: await resetWithNotice(user) })).errors).toBeUndefined();
    const db = await mongoose
      .createConnection(inject('serviceEnv')['MONGODB_URI'] ?? '', { dbName: 'ufe_users', retryWrites: false })
      .asPromise();
    try {
      await db
        .collection('users')
        .updateOne(
          { _id: new mongoose.Types.ObjectId(user.id) },
          { $set: { twoFactorResetAt: new Date(Date.now() - 1000) } },
        );
    } finally {
      await db.close();
    }
    const late = await logInAs(url, { email: user.email, password: NEW_PASSWORD });
    expect(late.errors).toBeUndefined();
    expect(late.data?.logIn.user.twoFactorEnabled).toBe(false);
    expect(await auditTypes(late.data?.logIn.accessToken ?? '')).toContain('TWO_FACTOR_RESET');
  });

  it('takes a removal link once, and no other token', async () => {
    const { user } = await enrolled();
    const token = await resetWithNotice(user);
    expect((await gql(url, RESET_TWO_FACTOR, { token })).errors).toBeUndefined();
    expect(errorCodes(await gql(url, RESET_TWO_FACTOR, { token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, RESET_TWO_FACTOR, { token: 'x'.repeat(43) }))).toEqual(['BAD_USER_INPUT']);
  });
});
