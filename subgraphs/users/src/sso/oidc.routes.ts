import type { Express, Request, Response } from 'express';
import type { LoginStateCookie } from './loginState.js';
import type { Authenticator, ProviderStrategies } from './providerStrategies.js';
import type { ExternalAccount, SsoAccounts } from './ssoAccounts.js';
import { SsoErrorCode, SsoRefusal } from './ssoErrors.js';
import type { SsoResponder } from './ssoResponder.js';

export interface OidcRouteDeps {
  passport: Authenticator;
  strategies: ProviderStrategies;
  loginState: LoginStateCookie;
  accounts: SsoAccounts;
  responder: SsoResponder;
}

interface Outcome {
  error?: unknown;
  account?: ExternalAccount | false | null;
}

// openid-client and oauth4webapi report a callback that does not match the stored
// request (state, nonce, PKCE, issuer) as errors; only their messages tell which.
const STATE_MISMATCH = /\b(state|nonce|code_verifier|pkce|iss)\b/i;

/** The messages of an error and of its causes: openid-client wraps the specific ones. */
function causes(error: unknown): string[] {
  const messages: string[] = [];
  for (let current = error; current !== undefined && messages.length < 5;) {
    messages.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages;
}

/** Why the callback did not yield an account, as the code the app is told. */
function refusal(outcome: Outcome, req: Request, provider: string): SsoRefusal {
  const { error } = outcome;
  if (error instanceof SsoRefusal) return error;
  if (error) {
    const message = causes(error).join(': ');
    const code = STATE_MISMATCH.test(message) ? SsoErrorCode.INVALID_STATE : SsoErrorCode.PROVIDER_ERROR;
    return new SsoRefusal(code, `${provider}: ${message}`);
  }
  // A failure without an error: the provider said no, or no stored state matched the callback.
  if (req.query['error'] === 'access_denied') return new SsoRefusal(SsoErrorCode.ACCESS_DENIED, `${provider}: denied`);
  return new SsoRefusal(SsoErrorCode.INVALID_STATE, `${provider}: no sign-in was started in this browser`);
}

/**
 * `GET /auth/:provider` sends the browser to the provider; `GET /auth/:provider/callback`
 * takes it back, finds or creates the user, and redirects to the app with a log-in code.
 * Both are reached through the router, which proxies `/auth/*` here.
 */
export function oidcRoutes(deps: OidcRouteDeps): (app: Express) => void {
  const { passport, strategies, loginState, responder } = deps;

  /** Checks the provider and gets its strategy ready; false (and redirected) when it cannot start. */
  async function ready(provider: string, req: Request, res: Response): Promise<boolean> {
    try {
      if (!strategies.has(provider)) {
        throw new SsoRefusal(SsoErrorCode.UNKNOWN_PROVIDER, `no sign-in provider ${provider}`);
      }
      await strategies.ensure(provider).catch((error: unknown) => {
        throw new SsoRefusal(SsoErrorCode.PROVIDER_ERROR, `${provider}: ${(error as Error).message}`);
      });
      return true;
    } catch (error) {
      await responder.refused(res, error, { provider, workspaceId: null, clientIp: await responder.clientIp(req) });
      return false;
    }
  }

  const start = async (req: Request<{ provider: string }>, res: Response): Promise<void> => {
    const { provider } = req.params;
    if (!(await ready(provider, req, res))) return;
    // On success the strategy redirects to the provider itself; the callback runs only on errors.
    passport.authenticate(provider, { session: false }, (error: unknown) => {
      void responder
        .clientIp(req)
        .then((clientIp) =>
          responder.refused(res, refusal({ error }, req, provider), { provider, workspaceId: null, clientIp }),
        );
    })(loginState.attach(req, res), res);
  };

  const callback = async (req: Request<{ provider: string }>, res: Response): Promise<void> => {
    const { provider } = req.params;
    if (!(await ready(provider, req, res))) return;
    const clientIp = await responder.clientIp(req);
    const outcome = await new Promise<Outcome>((resolve) => {
      passport.authenticate(provider, { session: false }, (error: unknown, account?: ExternalAccount | false | null) =>
        resolve({ error, account }),
      )(loginState.attach(req, res), res, (error: unknown) => resolve({ error }));
    });
    try {
      if (!outcome.account || outcome.error) throw refusal(outcome, req, provider);
      const { user, outcome: how } = await deps.accounts.signIn(outcome.account, 'global', clientIp);
      await responder.signedIn(res, { userId: user.id as string, provider, workspaceId: null, outcome: how });
    } catch (error) {
      await responder.refused(res, error, { provider, workspaceId: null, clientIp });
    }
  };

  return (app) => {
    const handle =
      (handler: (req: Request<{ provider: string }>, res: Response) => Promise<void>) =>
      (req: Request<{ provider: string }>, res: Response, next: (error: unknown) => void): void => {
        handler(req, res).catch(next);
      };
    app.get('/auth/:provider/callback', handle(callback));
    app.get('/auth/:provider', handle(start));
  };
}
