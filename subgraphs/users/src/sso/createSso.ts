import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { Passport } from 'passport';
import type { AssertionVerifier } from '#internal/auth';
import type { Logger } from '#internal/logger';
import type { AuditLog } from '../audit/audit.service.js';
import type { SessionService } from '../session/session.service.js';
import type { TwoFactorService } from '../twofactor/twoFactor.service.js';
import type { UserModel } from '../user/user.model.js';
import type { WorkspaceService } from '../workspace/workspace.service.js';
import { createLoginCodeModel, createLoginCodeUseModel } from './loginCode.model.js';
import { LoginCodeService } from './loginCode.service.js';
import { LoginStateCookie } from './loginState.js';
import { oidcRoutes } from './oidc.routes.js';
import { ProviderStrategies } from './providerStrategies.js';
import { samlRoutes } from './saml/saml.routes.js';
import { createSamlAssertionUseModel, createWorkspaceSamlModel } from './saml/workspaceSaml.model.js';
import { WorkspaceSamlService } from './saml/workspaceSaml.service.js';
import type { SsoConfig } from './sso.config.js';
import { AccountReclaim } from './accountReclaim.js';
import { SsoAccounts } from './ssoAccounts.js';
import { createSsoIdentityModel } from './ssoIdentity.model.js';
import { SsoLinks } from './ssoLinks.js';
import { SsoResponder } from './ssoResponder.js';

/** What the GraphQL side of single sign-on needs (`context.sso`). */
export interface SsoServices {
  loginCodes: LoginCodeService;
  saml: WorkspaceSamlService;
  links: SsoLinks;
  /** Takes accounts back from provider links when their owner proves the email. */
  reclaim: AccountReclaim;
}

export interface SsoOptions {
  db: Connection;
  config: SsoConfig;
  /** The router's public URL: callbacks, ACS and entity IDs are under `<publicUrl>/auth/`. */
  publicUrl: string;
  jwtSecret: string;
  users: UserModel;
  sessions: SessionService;
  twoFactor: TwoFactorService;
  workspaces: WorkspaceService;
  audit: AuditLog;
  identities: AssertionVerifier;
  logger?: Logger;
}

export interface Sso {
  services: SsoServices;
  /** The `/auth/*` routes, for `startSubgraph`'s `routes`. */
  routes: (app: Express) => void;
}

/** Sign-in through OIDC providers, GitHub and workspace SAML, with its stores ready. */
export async function createSso(options: SsoOptions): Promise<Sso> {
  const { db, config, publicUrl } = options;
  const stores = {
    codes: createLoginCodeModel(db),
    codeUses: createLoginCodeUseModel(db),
    identities: createSsoIdentityModel(db),
    samlConfigs: createWorkspaceSamlModel(db),
    assertionUses: createSamlAssertionUseModel(db),
  };
  // The unique indexes make every code and assertion single-use: have them before serving.
  await Promise.all(Object.values(stores).map((model) => model.init()));

  const loginCodes = new LoginCodeService({ codes: stores.codes, uses: stores.codeUses });
  const saml = new WorkspaceSamlService(
    { configs: stores.samlConfigs, assertionUses: stores.assertionUses },
    publicUrl,
    config.samlAllowInsecureIdp,
  );
  const links = new SsoLinks(stores.identities);
  const reclaim = new AccountReclaim({
    users: options.users,
    links,
    sessions: options.sessions,
    twoFactor: options.twoFactor,
    audit: options.audit,
  });
  const accounts = new SsoAccounts(options.users, links, reclaim);
  const responder = new SsoResponder({
    loginCodes,
    identities: options.identities,
    appUrl: config.appUrl,
    audit: options.audit,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // An instance of its own: passport's default export is a process-wide singleton.
  const passport = new Passport();
  const strategies = new ProviderStrategies(passport, config.providers, publicUrl, options.logger);
  const loginState = new LoginStateCookie(options.jwtSecret, publicUrl.startsWith('https:'));

  const routes = [
    // First: `/auth/saml/…` must not be taken for a provider named "saml".
    samlRoutes({ saml, workspaces: options.workspaces, accounts, responder }),
    oidcRoutes({ passport, strategies, loginState, accounts, responder }),
  ];
  return { services: { loginCodes, saml, links, reclaim }, routes: (app) => routes.forEach((add) => add(app)) };
}
