// TOTP two-factor through the router: enrolment, confirmation, log-in with a code, wrong
// and replayed codes, recovery codes (once each), turning it off.
import { generate } from 'otplib';
import { describe, expect, inject, it } from 'vitest';
import {
  errorCodes,
  gql,
  logIn as logInAs,
  signUp,
  type GraphQLResponse,
  type TestUser,
} from '../internal/testing/index.js';

const url = inject('routerUrl');
const PASSWORD = 'correct horse battery';
const PERIOD = 30;

const ENROLL = /* GraphQL */ `
  mutation {
    enrollTwoFactor {
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
  mutation ($code: String!) {
    disableTwoFactor(code: $code)
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

/** A user with two-factor on: their secret, a code source and their recovery codes. */
async function enrolled(): Promise<{
  user: TestUser;
  secret: string;
  next: () => Promise<string>;
  recovery: string[];
}> {
  const user = await signUp(url);
  const enrolment = await gql<{ enrollTwoFactor: { secret: string; otpauthUri: string } }>(url, ENROLL, {}, user.token);
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
    const result = await gql<{ enrollTwoFactor: { secret: string; otpauthUri: string } }>(url, ENROLL, {}, user.token);
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
    await gql(url, ENROLL, {}, user.token);
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
    expect(errorCodes(await gql(url, ENROLL, {}, user.token))).toEqual(['CONFLICT']);

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
    expect(errorCodes(await gql(url, DISABLE, { code: '000000' }, user.token))).toEqual(['BAD_USER_INPUT']);
    const disabled = await gql<{ disableTwoFactor: boolean }>(url, DISABLE, { code: second }, user.token);
    expect(disabled.errors).toBeUndefined();
    expect(disabled.data?.disableTwoFactor).toBe(true);
    const after = await logIn(user.email);
    expect(after.errors).toBeUndefined();
    expect(after.data?.logIn.user.twoFactorEnabled).toBe(false);
  });

  it('turns off with a TOTP code', async () => {
    const { user, next } = await enrolled();
    const disabled = await gql<{ disableTwoFactor: boolean }>(url, DISABLE, { code: await next() }, user.token);
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
