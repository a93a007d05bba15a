// Sign-in through providers, end to end through the router: a real OpenID provider
// (oidc-provider) and a GitHub stand-in run in this process; a private users subgraph and
// router are started with them configured. Each test drives the browser's redirects by hand.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, logIn, signUp, uniqueEmail, type GraphQLResponse } from '#internal/testkit';
import { loginResult, TestBrowser } from './setup/browser.js';
import { startFakeGithub, type FakeGithub } from './setup/fakeGithub.js';
import { startOidcProvider, type TestOidcProvider } from './setup/oidcProvider.js';
import { mailedToken } from './setup/outbox.js';
import { startPrivateUsers } from './setup/privateStack.js';

const PASSWORD = 'correct horse battery';

const EXCHANGE = /* GraphQL */ `
  mutation ($code: String!, $totp: String) {
    exchangeLoginCode(code: $code, totp: $totp) {
      accessToken
      refreshToken
      user {
        id
        email
        name
        emailVerified
      }
    }
  }
`;
const ME = /* GraphQL */ `
  {
    me {
      id
      email
      emailVerified
    }
  }
`;

interface Exchanged {
  exchangeLoginCode: {
    accessToken: string;
    refreshToken: string;
    user: { id: string; email: string; name: string; emailVerified: boolean };
  };
}

let provider: TestOidcProvider;
let github: FakeGithub;
let stack: Awaited<ReturnType<typeof startPrivateUsers>>;
let subjects = 0;

beforeAll(async () => {
  [provider, github] = await Promise.all([startOidcProvider(), startFakeGithub()]);
  stack = await startPrivateUsers({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    GITHUB_URL: github.url,
    GITHUB_API_URL: github.url,
  });
  provider.register(`${stack.publicUrl}/auth/oidc/callback`);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all([provider?.close(), github?.close()]);
});

const atApp = (url: URL): boolean => url.origin === stack.publicUrl && url.pathname === '/';

/** Signs in at the provider as a new subject with this email; the URL the app was sent to. */
async function signInWithOidc(email: string, emailVerified = true, browser = new TestBrowser()): Promise<URL> {
  provider.signInAs(`subject-${(subjects += 1)}`, { email, emailVerified, name: 'Olive Idp' });
  const landing = await browser.follow(`${stack.publicUrl}/auth/oidc`, atApp);
  return landing.url;
}

const exchange = (code: string, totp?: string): Promise<GraphQLResponse<Exchanged>> =>
  gql<Exchanged>(stack.routerUrl, EXCHANGE, { code, ...(totp === undefined ? {} : { totp }) });

describe('OpenID Connect sign-in through the router', () => {
  it('creates a verified account for a new email and signs it in with a one-time code', async () => {
    const email = uniqueEmail('oidc-new');
    const landing = await signInWithOidc(email);
    const { code, error } = loginResult(landing);
    expect(error).toBeUndefined();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing but the fragment carries it: no query string reaches a server or a log.
    expect(landing.search).toBe('');

    const exchanged = await exchange(code ?? '');
    expect(exchanged.errors).toBeUndefined();
    const payload = exchanged.data?.exchangeLoginCode;
    expect(payload?.user).toMatchObject({ email, name: 'Olive Idp', emailVerified: true });

    const me = await gql<{ me: { id: string; email: string } }>(stack.routerUrl, ME, {}, payload?.accessToken);
    expect(me.data?.me).toMatchObject({ id: payload?.user.id, email });

    // The code works once.
    const again = await exchange(code ?? '');
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.extensions?.['field']).toBe('code');
  });

  it('signs a known provider account in to the user it is linked to', async () => {
    const email = uniqueEmail('oidc-known');
    provider.signInAs('known-subject', { email, emailVerified: true, name: 'Known' });
    const first = await new TestBrowser().follow(`${stack.publicUrl}/auth/oidc`, atApp);
    const firstUser = (await exchange(loginResult(first.url).code ?? '')).data?.exchangeLoginCode.user.id;
    const second = await new TestBrowser().follow(`${stack.publicUrl}/auth/oidc`, atApp);
    const secondUser = (await exchange(loginResult(second.url).code ?? '')).data?.exchangeLoginCode.user.id;
    expect(firstUser).toBeDefined();
    expect(secondUser).toBe(firstUser);
  });

  it('links an existing account by verified email; an account that never proved its email loses its password', async () => {
    // Signed up but never verified: whoever did may not own the mailbox.
    const squatted = await signUp(stack.routerUrl);
    const linked = loginResult(await signInWithOidc(squatted.email));
    const payload = (await exchange(linked.code ?? '')).data?.exchangeLoginCode;
    expect(payload?.user).toMatchObject({ id: squatted.id, emailVerified: true });
    expect(errorCodes(await logIn(stack.routerUrl, { email: squatted.email, password: PASSWORD }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const refresh = await gql(stack.routerUrl, 'mutation ($t: String!) { refreshToken(token: $t) { accessToken } }', {
      t: squatted.refreshToken,
    });
    expect(errorCodes(refresh)).toEqual(['UNAUTHENTICATED']);
  });

  it('links an account with a verified email and leaves its password alone', async () => {
    const user = await signUp(stack.routerUrl);
    await gql(stack.routerUrl, 'mutation { requestEmailVerification }', {}, user.token);
    const token = await mailedToken(user.email, 'verify-email');
    expect((await gql(stack.routerUrl, 'mutation ($t: String!) { verifyEmail(token: $t) }', { t: token })).errors).toBe(
      undefined,
    );
    const linked = loginResult(await signInWithOidc(user.email.toUpperCase()));
    expect((await exchange(linked.code ?? '')).data?.exchangeLoginCode.user.id).toBe(user.id);
    expect((await logIn(stack.routerUrl, { email: user.email, password: PASSWORD })).errors).toBeUndefined();
  });

  it('refuses an email the provider does not vouch for, creating nothing', async () => {
    const email = uniqueEmail('oidc-unverified');
    const landing = await signInWithOidc(email, false);
    expect(loginResult(landing)).toEqual({ error: 'email_not_verified' });
    // No account was made: the address is still free.
    const created = await gql(stack.routerUrl, 'mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }', {
      i: { email, password: PASSWORD, name: 'Later' },
    });
    expect(created.errors).toBeUndefined();
  });

  it('refuses a callback whose state was tampered with, is missing, or comes to another browser', async () => {
    const toCallback = (url: URL): boolean => url.pathname === '/auth/oidc/callback';
    const attempts: { name: string; change: (callback: URL, browser: TestBrowser) => Promise<URL> }[] = [
      {
        name: 'tampered',
        change: async (callback, browser) => {
          callback.searchParams.set('state', 'x'.repeat(43));
          return (await browser.follow(callback, atApp)).url;
        },
      },
      {
        name: 'missing',
        change: async (callback, browser) => {
          callback.searchParams.delete('state');
          return (await browser.follow(callback, atApp)).url;
        },
      },
      // Login CSRF: a callback meant for one browser, opened in another.
      { name: 'other browser', change: async (callback) => (await new TestBrowser().follow(callback, atApp)).url },
    ];
    for (const attempt of attempts) {
      const email = uniqueEmail('oidc-state');
      provider.signInAs(`state-${attempt.name}`, { email, emailVerified: true, name: 'State' });
      const browser = new TestBrowser();
      const atCallback = await browser.follow(`${stack.publicUrl}/auth/oidc`, toCallback);
      expect(atCallback.url.searchParams.get('state')).toBeTruthy();
      expect(atCallback.url.searchParams.get('code')).toBeTruthy();
      const landing = await attempt.change(new URL(atCallback.url), browser);
      expect(loginResult(landing), attempt.name).toEqual({ error: 'invalid_state' });
    }
  });

  it('sends state, nonce and PKCE to the provider, and keeps them in an httpOnly cookie only', async () => {
    const browser = new TestBrowser();
    const response = await browser.fetch(`${stack.publicUrl}/auth/oidc`);
    expect(response.status).toBe(302);
    const authorize = new URL(response.headers.get('location') ?? '');
    expect(authorize.origin).toBe(provider.issuer);
    for (const param of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(param)).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.publicUrl}/auth/oidc/callback`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('ufe_sso='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/auth/i);
    // Sealed: neither the verifier nor the state can be read out of it.
    expect(cookie).not.toContain(authorize.searchParams.get('state') ?? '');
  });

  it('asks for the second factor when the account has it on, keeping the code for the retry', async () => {
    const email = uniqueEmail('oidc-2fa');
    const first = loginResult(await signInWithOidc(email));
    const token = (await exchange(first.code ?? '')).data?.exchangeLoginCode.accessToken;
    const enrolled = await gql<{ enrollTwoFactor: { secret: string } }>(
      stack.routerUrl,
      'mutation { enrollTwoFactor { secret } }',
      {},
      token,
    );
    const secret = enrolled.data?.enrollTwoFactor.secret ?? '';
    const step = Math.floor(Date.now() / 30_000);
    const confirmed = await gql(
      stack.routerUrl,
      'mutation ($c: String!) { confirmTwoFactor(code: $c) { codes } }',
      { c: await generate({ secret, epoch: step * 30 + 1 }) },
      token,
    );
    expect(confirmed.errors).toBeUndefined();

    const { code } = loginResult(await signInWithOidc(email));
    const missing = await exchange(code ?? '');
    expect(errorCodes(missing)).toEqual(['UNAUTHENTICATED']);
    expect(missing.errors?.[0]?.extensions?.['twoFactorRequired']).toBe(true);
    const withCode = await exchange(code ?? '', await generate({ secret, epoch: (step + 1) * 30 + 1 }));
    expect(withCode.errors).toBeUndefined();
    expect(withCode.data?.exchangeLoginCode.user.email).toBe(email);
  });

  it('refuses unknown providers and malformed codes', async () => {
    const landing = await new TestBrowser().follow(`${stack.publicUrl}/auth/nowhere`, atApp);
    expect(loginResult(landing.url)).toEqual({ error: 'unknown_provider' });
    expect(errorCodes(await exchange('not-a-code'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('GitHub sign-in through the router', () => {
  it('signs in with the verified primary email, and refuses an unverified one', async () => {
    const email = uniqueEmail('github');
    github.signInAs({
      id: 4242_000 + subjects++,
      login: 'octo',
      name: null,
      emails: [
        { email: uniqueEmail('github-other'), primary: false, verified: true },
        { email, primary: true, verified: true },
      ],
    });
    const landing = await new TestBrowser().follow(`${stack.publicUrl}/auth/github`, atApp);
    const exchanged = await exchange(loginResult(landing.url).code ?? '');
    expect(exchanged.errors).toBeUndefined();
    expect(exchanged.data?.exchangeLoginCode.user).toMatchObject({ email, name: 'octo', emailVerified: true });

    github.signInAs({
      id: 4343_000 + subjects++,
      login: 'unverified',
      name: 'Un Verified',
      emails: [{ email: uniqueEmail('github-unverified'), primary: true, verified: false }],
    });
    const refused = await new TestBrowser().follow(`${stack.publicUrl}/auth/github`, atApp);
    expect(loginResult(refused.url)).toEqual({ error: 'email_not_verified' });
  });
});
