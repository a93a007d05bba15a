// Taking back an account a workspace IdP created with someone else's address: anyone may
// point a workspace's SAML at an IdP of their own that asserts any email. Once the owner
// of the address proves it (password reset, verification link, invitation), the IdP loses
// the account: its link, its sessions, even a log-in code it got just before.
import { generate } from 'otplib';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, logIn, signUp, uniqueEmail, type TestUser } from '#internal/testkit';
import { mailedToken } from './setup/outbox.js';
import { createTestIdp } from './setup/samlIdp.js';
import { acs, assertion, exchange, workspaceWithSaml, type SamlSignedIn, type Sp } from './setup/samlWorkspace.js';

const url = inject('routerUrl');
const NEW_PASSWORD = 'the owner chose this one';

const ME = /* GraphQL */ `
  {
    me {
      id
      emailVerified
      createdByProvider
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
const AUDIT = /* GraphQL */ `
  {
    myAuditLog(first: 50) {
      edges {
        node {
          type
          details
        }
      }
    }
  }
`;

let mallory: TestUser;
let sp: Sp;

beforeAll(async () => {
  mallory = await signUp(url, 'Mallory');
  sp = await workspaceWithSaml(url, mallory, await createTestIdp('https://idp.mallory.example/metadata'));
});

/** Mallory's IdP signs the address up (a new, unverified account) and keeps the session. */
async function squat(email: string): Promise<SamlSignedIn> {
  const { code, error } = await acs(url, sp.workspaceId, assertion(sp, email));
  expect(error).toBeUndefined();
  return exchange(url, code);
}

async function resetPassword(email: string): Promise<void> {
  await gql(url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email });
  const token = await mailedToken(email, 'reset-password');
  const reset = await gql(url, 'mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }', {
    t: token,
    p: NEW_PASSWORD,
  });
  expect(reset.errors).toBeUndefined();
}

/** What the IdP can still do, and what the owner's audit log says, once the owner has taken the account back. */
async function expectTakenBack(email: string, squatter: SamlSignedIn, proof: string): Promise<void> {
  expect(await acs(url, sp.workspaceId, assertion(sp, email))).toEqual({ error: 'account_exists' });
  expect(errorCodes(await gql(url, REFRESH, { token: squatter.refreshToken }))).toEqual(['UNAUTHENTICATED']);

  if (proof !== 'password-reset') await resetPassword(email);
  const owner = await logIn(url, { email, password: NEW_PASSWORD });
  expect(owner.errors).toBeUndefined();
  const token = owner.data?.logIn.accessToken;
  const me = await gql<{ me: { id: string; emailVerified: boolean; createdByProvider: string | null } }>(
    url,
    ME,
    {},
    token,
  );
  expect(me.data?.me).toEqual({ id: squatter.user.id, emailVerified: true, createdByProvider: null });
  const log = await gql<{ myAuditLog: { edges: { node: { type: string; details: Record<string, unknown> } }[] } }>(
    url,
    AUDIT,
    {},
    token,
  );
  const reclaimed = log.data?.myAuditLog.edges.filter((edge) => edge.node.type === 'ACCOUNT_RECLAIMED') ?? [];
  expect(reclaimed.map((edge) => edge.node.details)).toEqual([
    {
      proof,
      createdBy: `saml:${sp.workspaceId}`,
      removedLinks: [`saml:${sp.workspaceId}`],
      twoFactorRemoved: false,
      passwordRemoved: false,
    },
  ]);
}

describe('an account an IdP created for an address it does not own', () => {
  it('is marked as IdP-made until the email is proven, which only the user can read', async () => {
    const email = uniqueEmail('squatted');
    const squatter = await squat(email);
    const me = await gql<{ me: { createdByProvider: string } }>(url, ME, {}, squatter.accessToken);
    expect(me.data?.me).toMatchObject({ emailVerified: false, createdByProvider: `saml:${sp.workspaceId}` });
    // Mallory administers the workspace the account joined, and reads its email, but not the mark.
    const members = await gql(
      url,
      'query ($id: ID!) { workspace(id: $id) { members { user { id createdByProvider } } } }',
      { id: sp.workspaceId },
      mallory.token,
    );
    expect(errorCodes(members)).toEqual(['FORBIDDEN']);
  });

  it('is taken back by a password reset: the IdP is refused, its sessions and codes are dead', async () => {
    const email = uniqueEmail('squatted');
    const squatter = await squat(email);
    // The owner finds the address taken.
    const signUpAgain = await gql(url, 'mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
      i: { email, password: NEW_PASSWORD, name: 'Owner' },
    });
    expect(errorCodes(signUpAgain)).toEqual(['CONFLICT']);
    // A log-in code the IdP got just before the reset.
    const { code } = await acs(url, sp.workspaceId, assertion(sp, email));
    await resetPassword(email);
    expect(
      errorCodes(await gql(url, 'mutation ($c: String!) { exchangeLoginCode(code: $c) { accessToken } }', { c: code })),
    ).toEqual(['BAD_USER_INPUT']);
    await expectTakenBack(email, squatter, 'password-reset');
  });

  it('is taken back by following a verification link', async () => {
    const email = uniqueEmail('squatted');
    const squatter = await squat(email);
    // Whoever asks, the link goes to the address, and only its owner can follow it.
    await gql(url, 'mutation { requestEmailVerification }', {}, squatter.accessToken);
    const token = await mailedToken(email, 'verify-email');
    const verified = await gql(url, 'mutation ($t: String!) { verifyEmail(token: $t) }', { t: token });
    expect(verified.errors).toBeUndefined();
    await expectTakenBack(email, squatter, 'email-verification');
  });

  it('is taken back by accepting an invitation mailed to the address', async () => {
    const email = uniqueEmail('squatted');
    const squatter = await squat(email);
    const inviter = await signUp(url, 'Inviter');
    const workspace = await gql<{ createWorkspace: { id: string } }>(
      url,
      'mutation { createWorkspace(input: { name: "Real Co" }) { id } }',
      {},
      inviter.token,
    );
    await gql(
      url,
      'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
      { input: { workspaceId: workspace.data?.createWorkspace.id, email, role: 'VIEWER' } },
      inviter.token,
    );
    const token = await mailedToken(email, 'accept-invitation');
    const accepted = await gql(
      url,
      'mutation ($t: String!) { acceptWorkspaceInvitation(token: $t) { id } }',
      { t: token },
      squatter.accessToken,
    );
    expect(accepted.errors).toBeUndefined();
    await expectTakenBack(email, squatter, 'invitation');
  });
});

describe('an account someone signed up with an address that is not theirs', () => {
  it("is taken back by a password reset, the squatter's two-factor included", async () => {
    const squatter = await signUp(url, 'Squatter');
    const enrolled = await gql<{ enrollTwoFactor: { secret: string } }>(
      url,
      'mutation ($p: String!) { enrollTwoFactor(password: $p) { secret } }',
      { p: 'correct horse battery' },
      squatter.token,
    );
    const secret = enrolled.data?.enrollTwoFactor.secret ?? '';
    const confirmed = await gql(
      url,
      'mutation ($c: String!) { confirmTwoFactor(code: $c) { codes } }',
      { c: await generate({ secret }) },
      squatter.token,
    );
    expect(confirmed.errors).toBeUndefined();
    // The owner of the address resets the password: the squatter's second factor must not lock them out.
    await resetPassword(squatter.email);
    const owner = await logIn(url, { email: squatter.email, password: NEW_PASSWORD });
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.logIn.user.twoFactorEnabled).toBe(false);
  });
});
