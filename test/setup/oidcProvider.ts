// A real OpenID provider (the `oidc-provider` package) on a free port, for sign-in tests.
// Its login step is completed by the test: whoever `signInAs` names is logged in, with
// consent granted, so a flow runs from the first redirect to the callback without a page.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestAccount {
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the client's callback (known once the router under test has its port). */
  register: (redirectUri: string) => void;
  /** Who the next sign-in at the provider logs in as. */
  signInAs: (subject: string, account: TestAccount) => void;
  close: () => Promise<void>;
}

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestAccount>();
  let next: string | undefined;
  let provider: Provider | undefined;
  const clientId = 'ufe-test';
  const clientSecret = 'a-client-secret-for-tests-only';

  async function interaction(req: IncomingMessage, res: ServerResponse, oidc: Provider): Promise<void> {
    if (!next) throw new Error('the test did not say whom to sign in as');
    await oidc.interactionFinished(req, res, { login: { accountId: next } }, { mergeWithLastSubmission: false });
  }

  const server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end();
      return;
    }
    const oidc = provider;
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res, oidc).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    oidc.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Its own signing key: without one oidc-provider signs with a development key and warns.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] };

  const configuration = (redirectUri: string): Configuration => ({
    jwks,
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: account.emailVerified, name: account.name }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Consent is given: every sign-in gets a grant for what it asks.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId ?? clientId,
        accountId: ctx.oidc.session?.accountId ?? '',
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: false } },
    // Set, so that the provider does not note each default it falls back to.
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });

  return {
    issuer,
    clientId,
    clientSecret,
    register: (redirectUri) => {
      provider = new Provider(issuer, configuration(redirectUri));
    },
    signInAs: (subject, account) => {
      accounts.set(subject, account);
      next = subject;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
