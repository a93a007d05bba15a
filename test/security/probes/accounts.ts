// Accounts: who may take an account over or change how it is protected, and what sign-up
// and log-in give away about which addresses are registered.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { loginResult } from '../../setup/browser.js';
import { createTestIdp, type TestIdp } from '../../setup/samlIdp.js';
import type { Probe } from '../probe.js';
import { codesOf } from '../steps.js';
import { mailedToken, ProbeClient, uniqueEmail, type ProbeTarget, type SignedUp } from '../target.js';

const NEW_PASSWORD = 'the owner chose this one';

interface Sp {
  workspaceId: string;
  spEntityId: string;
  acsUrl: string;
  idp: TestIdp;
}

type Response = Awaited<ReturnType<ProbeClient['gql']>>;

const reasonOf = (response: Response): unknown => response.errors?.[0]?.extensions?.['reason'];

/**
 * A workspace of `owner`'s with `owner`'s own IdP behind `ssoUrl`, configured in whichever
 * shape the API takes (IdP metadata now; free fields before it did): the attack is the
 * same either way. Resolves to the configuration, or to the refusal.
 */
async function ownIdp(
  client: ProbeClient,
  owner: SignedUp,
  ssoUrl: string,
): Promise<{ sp: Sp; refusal?: undefined } | { sp?: undefined; refusal: Response }> {
  const created = await client.gql<{ createWorkspace: { id: string } }>(
    'mutation { createWorkspace(input: { name: "Totally Legit Co" }) { id } }',
    {},
    owner.token,
  );
  const workspaceId = created.data?.createWorkspace.id;
  assert.ok(workspaceId, `createWorkspace failed: ${JSON.stringify(created.errors)}`);
  const idp = await createTestIdp(`https://idp-${workspaceId}.example.com/metadata`);
  const configure = (input: Record<string, unknown>) =>
    client.gql<{ configureWorkspaceSaml: { spEntityId: string; acsUrl: string } }>(
      /* GraphQL */ `
        mutation ($workspaceId: ID!, $input: WorkspaceSamlInput!) {
          configureWorkspaceSaml(workspaceId: $workspaceId, input: $input) {
            spEntityId
            acsUrl
          }
        }
      `,
      { workspaceId, input: { ...input, defaultRole: 'VIEWER' } },
      owner.token,
    );
  let configured = await configure({ idpMetadata: idp.metadata(ssoUrl) });
  // Refused before any resolver ran (no `path`): the input is of the other shape.
  if (configured.errors?.some((error) => !error.path)) {
    configured = await configure({ entryPoint: ssoUrl, idpIssuer: idp.entityId, idpCertificate: idp.certificate });
  }
  const sp = configured.data?.configureWorkspaceSaml;
  return sp ? { sp: { workspaceId, idp, ...sp } } : { refusal: configured };
}

/** An IdP-initiated sign-in: `sp`'s IdP asserts `email`, posted to the ACS through the router. */
async function assertEmail(client: ProbeClient, sp: Sp, email: string): Promise<{ code?: string; error?: string }> {
  const samlResponse = sp.idp.response({ audience: sp.spEntityId, recipient: sp.acsUrl, nameId: email, email });
  const response = await client.fetch(`${new URL(client.target.routerUrl).origin}/auth/saml/${sp.workspaceId}/acs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }).toString(),
    redirect: 'manual',
  });
  await response.body?.cancel();
  return loginResult(new URL(response.headers.get('location') ?? 'http://nowhere.invalid/'));
}

/** `SignUp`'s answer for `email` from `client`. */
const signUpAs = (client: ProbeClient, email: string): Promise<Response> =>
  client.gql('mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
    input: { email, password: 'correct horse battery staple', name: 'Prober' },
  });

/** The IdP signs the victim's address up before the victim does, then the victim takes the account back. */
async function idpBackdoorAfterReset(target: ProbeTarget): Promise<void> {
  const attacker = new ProbeClient(target);
  const victim = new ProbeClient(target);
  try {
    const mallory = await attacker.signUp('Mallory');
    const { sp } = await ownIdp(attacker, mallory, 'https://idp.mallory.example/sso');
    assert.ok(sp, 'setup: a workspace admin could not configure SAML at all');
    const email = uniqueEmail('victim');
    const created = await assertEmail(attacker, sp, email);
    assert.ok(created.code, `setup: the IdP could not create the account: ${JSON.stringify(created)}`);
    const exchanged = await attacker.gql<{ exchangeLoginCode: { refreshToken: string } }>(
      'mutation ($code: String!) { exchangeLoginCode(code: $code) { refreshToken } }',
      { code: created.code },
    );
    const idpSession = exchanged.data?.exchangeLoginCode.refreshToken;
    assert.ok(idpSession, `setup: exchangeLoginCode failed: ${JSON.stringify(exchanged.errors)}`);

    // The owner finds the address taken, and resets the password by mail.
    assert.deepEqual(codesOf(await signUpAs(victim, email)), ['CONFLICT'], 'setup: sign-up did not answer CONFLICT');
    await victim.gql('mutation ($email: String!) { requestPasswordReset(email: $email) }', { email });
    const token = await mailedToken(target, email, 'reset-password');
    const reset = await victim.gql(
      'mutation ($token: String!, $p: String!) { resetPassword(token: $token, newPassword: $p) }',
      {
        token,
        p: NEW_PASSWORD,
      },
    );
    assert.equal(reset.errors, undefined, `setup: resetPassword failed: ${JSON.stringify(reset.errors)}`);

    const again = await assertEmail(attacker, sp, email);
    assert.equal(again.code, undefined, 'the IdP still signs in to the account after its owner reset the password');
    assert.equal(again.error, 'account_exists', `unexpected refusal: ${JSON.stringify(again)}`);
    const refreshed = await attacker.gql('mutation ($t: String!) { refreshToken(token: $t) { accessToken } }', {
      t: idpSession,
    });
    assert.deepEqual(codesOf(refreshed), ['UNAUTHENTICATED'], "the IdP's session survived the reset");

    const loggedIn = await victim.gql<{ logIn: { accessToken: string } }>(
      'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      { input: { email, password: NEW_PASSWORD } },
    );
    const log = await victim.gql<{ myAuditLog: { edges: { node: { type: string } }[] } }>(
      '{ myAuditLog(first: 50) { edges { node { type } } } }',
      {},
      loggedIn.data?.logIn.accessToken,
    );
    const types = log.data?.myAuditLog.edges.map((edge) => edge.node.type) ?? [];
    assert.ok(
      types.includes('ACCOUNT_RECLAIMED'),
      `no ACCOUNT_RECLAIMED in the owner's audit log: ${types.join(', ')}`,
    );
  } finally {
    await Promise.all([attacker.close(), victim.close()]);
  }
}

/** With only a stolen access token, `mutation` must be refused for want of the password. */
async function needsPassword(target: ProbeTarget, mutation: string, variables: Record<string, unknown> = {}) {
  const client = new ProbeClient(target);
  try {
    const alice = await client.signUp('Alice');
    const result = await client.gql(mutation, variables, alice.token);
    assert.deepEqual(
      [codesOf(result)[0], reasonOf(result)],
      ['FORBIDDEN', 'REAUTHENTICATION_REQUIRED'],
      `not refused for want of the password: ${JSON.stringify(result.errors ?? result.data)}`,
    );
  } finally {
    await client.close();
  }
}

/** Signs up from new addresses (`sameAddress`: one address) until refused; how many got through, and the refusal. */
async function signUpUntilLimited(
  target: ProbeTarget,
  email: (attempt: number) => string,
  sameAddress: boolean,
): Promise<{ through: number; refusal?: Response }> {
  const one = new ProbeClient(target);
  try {
    for (let attempt = 0; attempt < 25; attempt += 1) {
      const client = sameAddress ? one : new ProbeClient(target);
      try {
        const result = await signUpAs(client, email(attempt));
        if (codesOf(result).includes('RATE_LIMITED')) return { through: attempt, refusal: result };
      } finally {
        if (!sameAddress) await client.close();
      }
    }
    return { through: 25 };
  } finally {
    await one.close();
  }
}

function assertLimited({ through, refusal }: { through: number; refusal?: Response }, what: string): void {
  assert.ok(refusal, `${through} sign-ups ${what} went through without RATE_LIMITED`);
  const retryAfter = refusal.errors?.[0]?.extensions?.['retryAfterSeconds'];
  assert.ok(typeof retryAfter === 'number' && retryAfter > 0, `RATE_LIMITED without retryAfterSeconds: ${retryAfter}`);
}

/** A failed log-in leaves the same audit record whether the account exists or not. */
async function loginTrace(target: ProbeTarget): Promise<void> {
  const client = new ProbeClient(target);
  const db = mongoose.createConnection(target.serviceEnv['MONGODB_URI'] ?? '', {
    dbName: target.serviceEnv['USERS_DB'] ?? 'ufe_users',
    retryWrites: false,
  });
  try {
    const known = await client.signUp('Known');
    const unknown = uniqueEmail('nobody');
    const tryLogIn = (email: string) =>
      client.gql('mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }', {
        input: { email, password: 'not the password at all' },
      });
    const [onKnown, onUnknown] = [await tryLogIn(known.email), await tryLogIn(unknown)];
    assert.deepEqual(onUnknown.errors, onKnown.errors, 'the answers differ');

    await db.asPromise();
    // The address as the router saw it may be IPv4-mapped (`::ffff:127.0.…`).
    const records = (await db.collection('audit_events').find({ type: 'LOGIN_FAILED' }).toArray()).filter((record) =>
      String(record['ip']).endsWith(client.address),
    );
    const emailHash = (email: string) => createHash('sha256').update(email).digest('hex');
    const shape = (record: Record<string, unknown>) =>
      Object.keys(JSON.parse(String(record['details'] ?? '{}')) as object)
        .sort()
        .join(',');
    const forKnown = records.find((record) => record['subjectId'] === known.id);
    const forUnknown = records.find((record) => String(record['details']).includes(emailHash(unknown)));
    assert.ok(forKnown, 'setup: the failed log-in on a real account left no LOGIN_FAILED record');
    assert.ok(forUnknown, 'a failed log-in on an unknown address leaves no trace, unlike one on a real account');
    assert.equal(forUnknown['subjectId'], null);
    assert.equal(shape(forUnknown), shape(forKnown), 'the two records carry different details');
  } finally {
    await Promise.all([client.close(), db.close()]);
  }
}

/** In production, a workspace admin cannot make the SAML sign-in send browsers to plain http. */
async function insecureEntryPoint(target: ProbeTarget): Promise<void> {
  const client = new ProbeClient(target);
  try {
    const owner = await client.signUp('Admin');
    const configured = await ownIdp(client, owner, 'http://idp.attacker.example/sso');
    if (configured.sp) {
      const start = await client.fetch(`${new URL(target.routerUrl).origin}/auth/saml/${configured.sp.workspaceId}`, {
        redirect: 'manual',
      });
      await start.body?.cancel();
      const location = start.headers.get('location') ?? '';
      assert.ok(!location.startsWith('http://idp.'), `sign-in redirects to ${location.split('?')[0]}`);
      assert.fail('a plain-http single sign-on URL was accepted');
    }
    assert.deepEqual(
      codesOf(configured.refusal),
      ['BAD_USER_INPUT'],
      JSON.stringify(configured.refusal.errors).slice(0, 300),
    );
  } finally {
    await client.close();
  }
}

export const accountProbes: Probe[] = [
  { name: 'accounts/idp-backdoor-after-reset', severity: 'high', run: idpBackdoorAfterReset },
  {
    name: 'accounts/2fa-enable-without-password',
    severity: 'medium',
    run: (target) => needsPassword(target, 'mutation { enrollTwoFactor { secret } }'),
  },
  {
    name: 'accounts/email-change-without-password',
    severity: 'medium',
    run: (target) =>
      needsPassword(target, 'mutation ($e: String!) { requestEmailChange(newEmail: $e) }', {
        e: uniqueEmail('new-address'),
      }),
  },
  {
    name: 'accounts/signup-rate-limit-per-ip',
    severity: 'low',
    run: async (target) =>
      assertLimited(
        await signUpUntilLimited(target, () => uniqueEmail('probing'), true),
        'of different addresses from one client',
      ),
  },
  {
    name: 'accounts/signup-rate-limit-per-address',
    severity: 'low',
    run: async (target) => {
      const email = uniqueEmail('probed');
      assertLimited(await signUpUntilLimited(target, () => email, false), 'of one address from different clients');
    },
  },
  { name: 'accounts/login-trace-unknown-account', severity: 'low', run: loginTrace },
  { name: 'accounts/saml-insecure-entry-point', severity: 'low', run: insecureEntryPoint },
];
