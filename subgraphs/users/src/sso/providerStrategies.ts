import type { Request } from 'express';
import * as client from 'openid-client';
import { Strategy as OidcStrategy, type AuthenticateOptions } from 'openid-client/passport';
import type { Passport } from 'passport';

/** A passport instance (not the process-wide default one). */
export type Authenticator = InstanceType<typeof Passport>;
import OAuth2Strategy from 'passport-oauth2';
import type { Logger } from '#internal/logger';
import { githubAccount } from './githubAccount.js';
import { oidcAccount } from './oidcAccount.js';
import type { GithubProviderConfig, OidcProviderConfig, SsoProviderConfig } from './sso.config.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * openid-client sends `state` only when the provider lacks PKCE, and `nonce` only for
 * implicit flows. Both are cheap, and each covers a failure of the other checks (a
 * provider that accepts PKCE but ignores it; an ID token replayed into another flow), so
 * every authorization request carries all three; the strategy stores and checks them.
 */
class OidcStrategyWithStateAndNonce extends OidcStrategy {
  override authorizationRequestParams<TOptions extends AuthenticateOptions>(
    req: Request,
    options: TOptions,
  ): URLSearchParams {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    return params;
  }
}

/**
 * The passport strategies of the configured providers, registered under the provider's
 * name. OIDC issuers are discovered on first use rather than at start: a provider that is
 * down must not keep the users subgraph from starting, and a failed discovery is tried
 * again by the next sign-in.
 */
export class ProviderStrategies {
  private readonly registered = new Map<string, Promise<void>>();
  private readonly providers: Map<string, SsoProviderConfig>;

  constructor(
    private readonly passport: Authenticator,
    providers: SsoProviderConfig[],
    private readonly publicUrl: string,
    private readonly logger?: Logger,
  ) {
    this.providers = new Map(providers.map((provider) => [provider.name, provider]));
  }

  has(name: string): boolean {
    return this.providers.has(name);
  }

  /** Registers the provider's strategy with passport, once; throws when discovery fails. */
  ensure(name: string): Promise<void> {
    const provider = this.providers.get(name);
    if (!provider) return Promise.reject(new Error(`no provider ${name}`));
    let registration = this.registered.get(name);
    if (!registration) {
      registration = this.register(provider);
      this.registered.set(name, registration);
      registration.catch((error: unknown) => {
        this.registered.delete(name);
        this.logger?.error({ err: error, provider: name }, 'sign-in provider unavailable');
      });
    }
    return registration;
  }

  private callbackUrl(name: string): string {
    return `${this.publicUrl}/auth/${name}/callback`;
  }

  private async register(provider: SsoProviderConfig): Promise<void> {
    this.passport.use(provider.name, provider.kind === 'oidc' ? await this.oidc(provider) : this.github(provider));
  }

  private async oidc(provider: OidcProviderConfig): Promise<OidcStrategy> {
    const issuer = new URL(provider.issuer);
    // Plain http only for an issuer on this machine (a development or test provider).
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    const config = await client.discovery(
      issuer,
      provider.clientId,
      provider.clientSecret,
      undefined,
      insecure ? { execute: [client.allowInsecureRequests] } : {},
    );
    return new OidcStrategyWithStateAndNonce(
      {
        name: provider.name,
        config,
        scope: 'openid email profile',
        callbackURL: this.callbackUrl(provider.name),
        sessionKey: `oidc:${provider.name}`,
      },
      (tokens, verified) => {
        oidcAccount(provider.name, config, tokens).then(
          (account) => verified(null, account),
          (error: unknown) => verified(error),
        );
      },
    );
  }

  private github(provider: GithubProviderConfig): OAuth2Strategy {
    const strategy = new OAuth2Strategy(
      {
        authorizationURL: `${provider.webUrl}/login/oauth/authorize`,
        tokenURL: `${provider.webUrl}/login/oauth/access_token`,
        clientID: provider.clientId,
        clientSecret: provider.clientSecret,
        callbackURL: this.callbackUrl(provider.name),
        scope: ['read:user', 'user:email'],
        state: true,
        pkce: true,
        sessionKey: 'oauth2:github',
        skipUserProfile: true,
      },
      // Four parameters: passport-oauth2 picks the call by the function's arity.
      (accessToken: string, _refreshToken: string, _profile: unknown, verified: OAuth2Strategy.VerifyCallback) => {
        githubAccount(provider.apiUrl, accessToken).then(
          (account) => verified(null, account),
          (error: unknown) => verified(error),
        );
      },
    );
    strategy.name = provider.name;
    return strategy;
  }
}
