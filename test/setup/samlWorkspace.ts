// A workspace with its own SAML IdP (see samlIdp.ts), and sign-ins through it, posted to
// the router's ACS as an IdP's auto-submitting form would.
import { expect } from 'vitest';
import { gql, type TestUser } from '#internal/testkit';
import { loginResult } from './browser.js';
import type { AssertionOptions, TestIdp } from './samlIdp.js';

export interface Sp {
  workspaceId: string;
  idp: TestIdp;
  spEntityId: string;
  acsUrl: string;
}

export interface SamlSignedIn {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; emailVerified: boolean };
}

/** Where the IdP sends people: never contacted, the tests post the IdP's answers themselves. */
export const IDP_SSO_URL = 'https://idp.example.com/sso';

export const CONFIGURE_SAML = /* GraphQL */ `
  mutation ($workspaceId: ID!, $input: WorkspaceSamlInput!) {
    configureWorkspaceSaml(workspaceId: $workspaceId, input: $input) {
      workspaceId
      entryPoint
      reconfigurationRequired
      idpIssuer
      idpCertificateFingerprint
      defaultRole
      spEntityId
      acsUrl
      loginUrl
      metadataUrl
    }
  }
`;

const EXCHANGE = /* GraphQL */ `
  mutation ($code: String!) {
    exchangeLoginCode(code: $code) {
      accessToken
      refreshToken
      user {
        id
        email
        emailVerified
      }
    }
  }
`;

/** `configureWorkspaceSaml`'s input for `idp` with its sign-in at `ssoUrl`. */
export const samlSettings = (idp: TestIdp, defaultRole = 'VIEWER', ssoUrl = IDP_SSO_URL): Record<string, string> => ({
  idpMetadata: idp.metadata(ssoUrl),
  defaultRole,
});

/** A workspace owned by `owner` (one of `url`'s users), with `idp` configured. */
export async function workspaceWithSaml(
  url: string,
  owner: TestUser,
  idp: TestIdp,
  defaultRole = 'VIEWER',
): Promise<Sp> {
  const created = await gql<{ createWorkspace: { id: string } }>(
    url,
    'mutation ($name: String!) { createWorkspace(input: { name: $name }) { id } }',
    { name: 'SSO Co' },
    owner.token,
  );
  const workspaceId = created.data?.createWorkspace.id ?? '';
  const configured = await gql<{ configureWorkspaceSaml: { spEntityId: string; acsUrl: string } }>(
    url,
    CONFIGURE_SAML,
    { workspaceId, input: samlSettings(idp, defaultRole) },
    owner.token,
  );
  expect(configured.errors).toBeUndefined();
  const { spEntityId, acsUrl } = configured.data?.configureWorkspaceSaml ?? { spEntityId: '', acsUrl: '' };
  return { workspaceId, idp, spEntityId, acsUrl };
}

/** A signed response of `sp`'s IdP asserting `email`. */
export const assertion = (sp: Sp, email: string, options: Partial<AssertionOptions> = {}): string =>
  sp.idp.response({ audience: sp.spEntityId, recipient: sp.acsUrl, nameId: email, email, name: 'Sam L', ...options });

/** Posts a response to the workspace's ACS through the router at `url`. */
export async function postToAcs(url: string, workspaceId: string, samlResponse: string): Promise<Response> {
  return fetch(`${new URL(url).origin}/auth/saml/${workspaceId}/acs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }),
    redirect: 'manual',
  });
}

/** Posts a response to the workspace's ACS; the log-in code or error the app was sent. */
export async function acs(
  url: string,
  workspaceId: string,
  samlResponse: string,
): Promise<{ code?: string; error?: string }> {
  const response = await postToAcs(url, workspaceId, samlResponse);
  expect(response.status).toBe(303);
  return loginResult(new URL(response.headers.get('location') ?? ''));
}

export async function exchange(url: string, code: string | undefined): Promise<SamlSignedIn> {
  const result = await gql<{ exchangeLoginCode: SamlSignedIn }>(url, EXCHANGE, { code });
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.exchangeLoginCode;
}
