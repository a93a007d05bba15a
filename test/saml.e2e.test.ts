// Workspace SAML, end to end through the router: a workspace admin configures an IdP (its
// key pair and certificate made here), and signed Responses built here are posted to the
// router's ACS URL as an IdP's auto-submitting form would.
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, signUp, uniqueEmail, type TestUser } from '#internal/testkit';
import { loginResult } from './setup/browser.js';
import { startPrivateUsers } from './setup/privateStack.js';
import { createTestIdp, type TestIdp } from './setup/samlIdp.js';
import {
  acs as acsAt,
  assertion,
  CONFIGURE_SAML as CONFIGURE,
  exchange as exchangeAt,
  IDP_SSO_URL,
  postToAcs,
  samlSettings,
  workspaceWithSaml as withSaml,
  type Sp,
} from './setup/samlWorkspace.js';

const url = inject('routerUrl');
const origin = new URL(url).origin;

const READ = /* GraphQL */ `
  query ($workspaceId: ID!) {
    workspaceSaml(workspaceId: $workspaceId) {
      spEntityId
      defaultRole
    }
  }
`;
const DISABLE = /* GraphQL */ `
  mutation ($workspaceId: ID!) {
    disableWorkspaceSaml(workspaceId: $workspaceId)
  }
`;
const MY_ROLE = /* GraphQL */ `
  query ($id: ID!) {
    workspace(id: $id) {
      myRole
    }
  }
`;

const acs = (workspaceId: string, samlResponse: string) => acsAt(url, workspaceId, samlResponse);
const exchange = (code: string | undefined) => exchangeAt(url, code);
const post = (workspaceId: string, samlResponse: string) => postToAcs(url, workspaceId, samlResponse);
const workspaceWithSaml = (owner: TestUser, idp: TestIdp, defaultRole = 'VIEWER') =>
  withSaml(url, owner, idp, defaultRole);

async function roleIn(workspaceId: string, token: string): Promise<string | null> {
  const result = await gql<{ workspace: { myRole: string } | null }>(url, MY_ROLE, { id: workspaceId }, token);
  return result.data?.workspace?.myRole ?? null;
}

let owner: TestUser;
let idpA: TestIdp;
let idpB: TestIdp;
let spA: Sp;
let spB: Sp;

beforeAll(async () => {
  [owner, idpA, idpB] = await Promise.all([
    signUp(url),
    createTestIdp('https://idp-a.example.com/metadata'),
    createTestIdp('https://idp-b.example.com/metadata'),
  ]);
  spA = await workspaceWithSaml(owner, idpA);
  spB = await workspaceWithSaml(owner, idpB);
});

describe('SAML sign-in through the router', () => {
  it('signs in with a signed assertion, creating the user as a member with the default role', async () => {
    const email = uniqueEmail('saml');
    expect(spA.spEntityId).toMatch(new RegExp(`/auth/saml/${spA.workspaceId}/metadata$`));
    const { code, error } = await acs(spA.workspaceId, assertion(spA, email));
    expect(error).toBeUndefined();
    const signedIn = await exchange(code);
    // The workspace's IdP vouches for its own people only: not a verified email elsewhere.
    expect(signedIn.user).toMatchObject({ email, emailVerified: false });
    expect(await roleIn(spA.workspaceId, signedIn.accessToken)).toBe('VIEWER');
    expect(await roleIn(spB.workspaceId, signedIn.accessToken)).toBeNull();

    // The next assertion for the same NameID signs in the same user.
    const again = await exchange((await acs(spA.workspaceId, assertion(spA, email))).code);
    expect(again.user.id).toBe(signedIn.user.id);
  });

  it('refuses an assertion presented a second time', async () => {
    const response = assertion(spA, uniqueEmail('saml-replay'));
    expect((await acs(spA.workspaceId, response)).code).toBeDefined();
    expect(await acs(spA.workspaceId, response)).toEqual({ error: 'saml_invalid' });
  });

  it('refuses unsigned, expired, misaddressed and foreign assertions, changing nothing', async () => {
    const now = Date.now();
    const cases: [string, (email: string) => { workspaceId: string; response: string }][] = [
      ['unsigned', (email) => ({ workspaceId: spA.workspaceId, response: assertion(spA, email, { sign: 'none' }) })],
      // A signed Response around an unsigned assertion is not enough.
      [
        'only the response signed',
        (email) => ({ workspaceId: spA.workspaceId, response: assertion(spA, email, { sign: 'response' }) }),
      ],
      [
        'expired',
        (email) => ({
          workspaceId: spA.workspaceId,
          response: assertion(spA, email, { notOnOrAfter: new Date(now - 5 * 60_000) }),
        }),
      ],
      [
        'bearer confirmation expired',
        (email) => ({
          workspaceId: spA.workspaceId,
          response: assertion(spA, email, { confirmationNotOnOrAfter: new Date(now - 5 * 60_000) }),
        }),
      ],
      [
        'wrong audience',
        (email) => ({
          workspaceId: spA.workspaceId,
          response: assertion(spA, email, { audience: 'https://someone-else.example.com/sp' }),
        }),
      ],
      [
        'wrong recipient',
        (email) => ({
          workspaceId: spA.workspaceId,
          response: assertion(spA, email, { recipient: 'https://someone-else.example.com/acs' }),
        }),
      ],
      [
        'signed by another key',
        (email) => ({ workspaceId: spA.workspaceId, response: assertion(spA, email, { signWith: idpB }) }),
      ],
      [
        'another issuer',
        (email) => ({
          workspaceId: spA.workspaceId,
          response: assertion(spA, email, { issuer: 'https://evil.example.com/metadata' }),
        }),
      ],
      // Valid for workspace B in every way, posted to A's ACS.
      ["another workspace's", (email) => ({ workspaceId: spA.workspaceId, response: assertion(spB, email) })],
      // B's audience and ACS, but signed by A's IdP and posted to B: B trusts only its own IdP.
      [
        "another workspace's IdP",
        (email) => ({ workspaceId: spB.workspaceId, response: assertion(spB, email, { signWith: idpA }) }),
      ],
    ];
    for (const [name, make] of cases) {
      const email = uniqueEmail('saml-refused');
      const { workspaceId, response } = make(email);
      expect(await acs(workspaceId, response), name).toEqual({ error: 'saml_invalid' });
      // No account was created: the email is still free, and that new account belongs nowhere.
      const created = await gql<{ signUp: { accessToken: string } }>(
        url,
        'mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }',
        { i: { email, password: 'correct horse battery', name: 'Later' } },
      );
      expect(created.errors, name).toBeUndefined();
      const token = created.data?.signUp.accessToken ?? '';
      expect(await roleIn(spA.workspaceId, token), name).toBeNull();
      expect(await roleIn(spB.workspaceId, token), name).toBeNull();
    }
  });

  it('does not take over an existing account it was never linked to', async () => {
    const existing = await signUp(url);
    expect(await acs(spA.workspaceId, assertion(spA, existing.email))).toEqual({ error: 'account_exists' });
    expect(await roleIn(spA.workspaceId, existing.token)).toBeNull();
  });

  it('starts SP-initiated sign-in, serves SP metadata, and refuses workspaces without SAML', async () => {
    const start = await fetch(`${origin}/auth/saml/${spA.workspaceId}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const toIdp = new URL(start.headers.get('location') ?? '');
    expect(`${toIdp.origin}${toIdp.pathname}`).toBe('https://idp.example.com/sso');
    expect(toIdp.searchParams.get('SAMLRequest')).toBeTruthy();

    const metadata = await fetch(`${origin}/auth/saml/${spA.workspaceId}/metadata`);
    expect(metadata.status).toBe(200);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${spA.spEntityId}"`);
    expect(xml).toContain(`Location="${spA.acsUrl}"`);
    expect(xml).toContain('WantAssertionsSigned="true"');

    const unknown = await post('0123456789abcdef01234567', assertion(spA, uniqueEmail('saml-nowhere')));
    expect(loginResult(new URL(unknown.headers.get('location') ?? ''))).toEqual({ error: 'saml_not_configured' });
  });
});

describe('workspace SAML configuration', () => {
  it('is for ADMIN and OWNER: an EDITOR and non-members are refused', async () => {
    const sp = await workspaceWithSaml(owner, idpA, 'EDITOR');
    const editor = await exchange((await acs(sp.workspaceId, assertion(sp, uniqueEmail('saml-editor')))).code);
    expect(await roleIn(sp.workspaceId, editor.accessToken)).toBe('EDITOR');
    const input = { idpMetadata: idpB.metadata(IDP_SSO_URL) };
    const byEditor = await gql(url, CONFIGURE, { workspaceId: sp.workspaceId, input }, editor.accessToken);
    expect(errorCodes(byEditor)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(url, READ, { workspaceId: sp.workspaceId }, editor.accessToken))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await gql(url, DISABLE, { workspaceId: sp.workspaceId }, editor.accessToken))).toEqual([
      'FORBIDDEN',
    ]);
    const stranger = await signUp(url);
    expect(errorCodes(await gql(url, CONFIGURE, { workspaceId: sp.workspaceId, input }, stranger.token))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await gql(url, CONFIGURE, { workspaceId: sp.workspaceId, input }))).toEqual(['UNAUTHENTICATED']);
    // Nothing changed.
    const read = await gql<{ workspaceSaml: { defaultRole: string } }>(
      url,
      READ,
      { workspaceId: sp.workspaceId },
      owner.token,
    );
    expect(read.data?.workspaceSaml.defaultRole).toBe('EDITOR');
  });

  it('takes the IdP from its metadata, and refuses metadata without what sign-in needs', async () => {
    const configured = await gql<{ configureWorkspaceSaml: Record<string, unknown> }>(
      url,
      CONFIGURE,
      { workspaceId: spA.workspaceId, input: samlSettings(idpA) },
      owner.token,
    );
    expect(configured.data?.configureWorkspaceSaml).toMatchObject({
      idpIssuer: idpA.entityId,
      entryPoint: IDP_SSO_URL,
      reconfigurationRequired: false,
    });
    const refusal = async (input: Record<string, string>): Promise<[unknown, string]> => {
      const result = await gql(
        url,
        CONFIGURE,
        { workspaceId: spA.workspaceId, input: { ...samlSettings(idpA), ...input } },
        owner.token,
      );
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      return [result.errors?.[0]?.extensions?.['field'], result.errors?.[0]?.message ?? ''];
    };
    const metadata = idpA.metadata(IDP_SSO_URL);
    const cases: [string, RegExp][] = [
      ['not XML at all', /not well-formed/],
      [metadata.slice(0, 300), /not well-formed/],
      [`<!DOCTYPE m [<!ENTITY a "b">]>${metadata.replace(/^<\?xml[^>]*>\s*/, '')}`, /DOCTYPE/],
      [idpA.metadata(IDP_SSO_URL, { withoutCertificate: true }), /signing certificate/],
      [metadata.replace(/<ds:X509Certificate>[^<]*</, '<ds:X509Certificate>bm90IGEgY2VydA==<'), /X\.509/],
      [idpA.metadata(IDP_SSO_URL, { withoutEntityId: true }), /entityID/],
      [idpA.metadata(IDP_SSO_URL, { binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' }), /HTTP-Redirect/],
      [idpA.metadata('http://idp.example.com/sso'), /not an https URL/],
      ['<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>', /one identity provider/],
    ];
    for (const [idpMetadata, message] of cases) {
      const [field, text] = await refusal({ idpMetadata });
      expect([field, text], idpMetadata.slice(0, 60)).toEqual(['idpMetadata', expect.stringMatching(message)]);
    }
    expect((await refusal({ defaultRole: 'OWNER' }))[0]).toBe('defaultRole');
    // Nothing changed.
    const start = await fetch(`${origin}/auth/saml/${spA.workspaceId}`, { redirect: 'manual' });
    expect(start.headers.get('location')).toMatch(new RegExp(`^${IDP_SSO_URL}\\?`));
  });

  it('lets only the owner make people ADMIN by default; admins configure below their role; turns off', async () => {
    const sp = await workspaceWithSaml(owner, idpA, 'ADMIN');
    const admin = await exchange((await acs(sp.workspaceId, assertion(sp, uniqueEmail('saml-admin')))).code);
    expect(await roleIn(sp.workspaceId, admin.accessToken)).toBe('ADMIN');
    const input = { idpMetadata: idpA.metadata(IDP_SSO_URL) };
    const asAdmin = (defaultRole: string) =>
      gql<{ configureWorkspaceSaml: { defaultRole: string; idpCertificateFingerprint: string } }>(
        url,
        CONFIGURE,
        { workspaceId: sp.workspaceId, input: { ...input, defaultRole } },
        admin.accessToken,
      );
    expect(errorCodes(await asAdmin('ADMIN'))).toEqual(['FORBIDDEN']);
    const configured = await asAdmin('EDITOR');
    expect(configured.errors).toBeUndefined();
    expect(configured.data?.configureWorkspaceSaml.defaultRole).toBe('EDITOR');
    expect(configured.data?.configureWorkspaceSaml.idpCertificateFingerprint).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );

    const disable = () =>
      gql<{ disableWorkspaceSaml: boolean }>(url, DISABLE, { workspaceId: sp.workspaceId }, owner.token);
    expect((await disable()).data?.disableWorkspaceSaml).toBe(true);
    expect((await gql(url, READ, { workspaceId: sp.workspaceId }, owner.token)).data?.['workspaceSaml']).toBeNull();
    expect((await disable()).data?.disableWorkspaceSaml).toBe(false);
    expect(await acs(sp.workspaceId, assertion(sp, uniqueEmail('saml-off')))).toEqual({ error: 'saml_not_configured' });
  });
});

describe('where SAML sign-in sends the browser', () => {
  const db = () =>
    mongoose
      .createConnection(inject('serviceEnv')['MONGODB_URI'] ?? '', { dbName: 'ufe_users', retryWrites: false })
      .asPromise();
  const startAt = async (routerOrigin: string, workspaceId: string) => {
    const response = await fetch(`${routerOrigin}/auth/saml/${workspaceId}`, { redirect: 'manual' });
    return new URL(response.headers.get('location') ?? '');
  };
  const reconfigurationRequired = async (workspaceId: string) =>
    (
      await gql<{ workspaceSaml: { reconfigurationRequired: boolean } }>(
        url,
        'query ($id: ID!) { workspaceSaml(workspaceId: $id) { reconfigurationRequired } }',
        { id: workspaceId },
        owner.token,
      )
    ).data?.workspaceSaml.reconfigurationRequired;

  it('keeps a configuration stored before metadata was required working only with an https URL', async () => {
    const [legacyHttp, legacyHttps] = [await workspaceWithSaml(owner, idpA), await workspaceWithSaml(owner, idpA)];
    // As stored before: whatever URL an admin typed.
    const connection = await db();
    try {
      for (const [sp, entryPoint] of [
        [legacyHttp, 'http://idp.example.com/sso'],
        [legacyHttps, 'https://legacy-idp.example.com/sso'],
      ] as const) {
        await connection
          .collection('workspace_saml')
          .updateOne({ _id: sp.workspaceId as never }, { $set: { entryPoint } });
      }
    } finally {
      await connection.close();
    }
    expect(loginResult(await startAt(origin, legacyHttp.workspaceId))).toEqual({
      error: 'saml_reconfiguration_required',
    });
    expect(await acs(legacyHttp.workspaceId, assertion(legacyHttp, uniqueEmail('saml-legacy')))).toEqual({
      error: 'saml_reconfiguration_required',
    });
    expect(await reconfigurationRequired(legacyHttp.workspaceId)).toBe(true);
    expect((await startAt(origin, legacyHttps.workspaceId)).origin).toBe('https://legacy-idp.example.com');
    expect(await reconfigurationRequired(legacyHttps.workspaceId)).toBe(false);
    // Uploading the metadata again puts it right.
    await gql(url, CONFIGURE, { workspaceId: legacyHttp.workspaceId, input: samlSettings(idpA) }, owner.token);
    expect((await startAt(origin, legacyHttp.workspaceId)).origin).toBe(new URL(IDP_SSO_URL).origin);
  });

  describe('with SAML_ALLOW_INSECURE_IDP=1 (development against a local IdP)', () => {
    let insecure: Awaited<ReturnType<typeof startPrivateUsers>>;
    beforeAll(async () => {
      insecure = await startPrivateUsers({ SAML_ALLOW_INSECURE_IDP: '1' });
    });
    afterAll(async () => {
      await insecure?.stop();
    });

    it('takes an http single sign-on URL, which sign-in without the switch refuses', async () => {
      const local = 'http://127.0.0.1:9/sso';
      const sp = await withSaml(url, owner, idpA);
      const configured = await gql(
        insecure.routerUrl,
        CONFIGURE,
        { workspaceId: sp.workspaceId, input: samlSettings(idpA, 'VIEWER', local) },
        owner.token,
      );
      expect(configured.errors).toBeUndefined();
      expect((await startAt(insecure.publicUrl, sp.workspaceId)).href).toMatch(new RegExp(`^${local}\\?SAMLRequest=`));
      expect(loginResult(await startAt(origin, sp.workspaceId))).toEqual({ error: 'saml_reconfiguration_required' });
    });
  });
});
