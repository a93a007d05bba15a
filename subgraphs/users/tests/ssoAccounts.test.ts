// Finding, linking and creating users for provider sign-ins, and the one-time log-in codes
// that hand them to the app, against the real engine in a throw-away database.
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TokenService } from '#internal/auth';
import { connectDatabase } from '#internal/db';
import { hashPassword, verifyPassword } from '../src/auth/password.js';
import { createRefreshTokenModel, createRefreshTokenUseModel } from '../src/session/refreshToken.model.js';
import { createSessionModel } from '../src/session/session.model.js';
import { SessionService } from '../src/session/session.service.js';
import { createLoginCodeModel, createLoginCodeUseModel } from '../src/sso/loginCode.model.js';
import { LOGIN_CODE_TTL_MS, LoginCodeService } from '../src/sso/loginCode.service.js';
import { createAuditModel, type AuditModel } from '../src/audit/audit.model.js';
import { AuditLog } from '../src/audit/audit.service.js';
import { AccountReclaim } from '../src/sso/accountReclaim.js';
import { SsoAccounts, type ExternalAccount } from '../src/sso/ssoAccounts.js';
import { SsoRefusal } from '../src/sso/ssoErrors.js';
import { createSsoIdentityModel, type SsoIdentityModel } from '../src/sso/ssoIdentity.model.js';
import { SsoLinks } from '../src/sso/ssoLinks.js';
import { SecretBox } from '../src/twofactor/secretBox.js';
import { createRecoveryCodeModel, createTwoFactorUseModel } from '../src/twofactor/twoFactor.model.js';
import { TwoFactorService } from '../src/twofactor/twoFactor.service.js';
import { createUserModel, type UserModel } from '../src/user/user.model.js';

const SECRET = 'a test secret that is long enough for HS256';
let db: Connection;
let users: UserModel;
let identities: SsoIdentityModel;
let sessions: SessionService;
let accounts: SsoAccounts;
let reclaim: AccountReclaim;
let auditEvents: AuditModel;
let codes: LoginCodeService;
let now = Date.now();
let counter = 0;

const email = (): string => `sso-${Date.now()}-${(counter += 1)}@example.com`;
const account = (overrides: Partial<ExternalAccount> = {}): ExternalAccount => ({
  provider: 'oidc',
  subject: `sub-${(counter += 1)}`,
  email: email(),
  emailVerified: true,
  name: 'Ida Provider',
  ...overrides,
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SsoRefusal);
  return (error as SsoRefusal).code;
}

beforeAll(async () => {
  db = await connectDatabase(inject('serviceEnv')['MONGODB_URI'] ?? '', `ufe_users_sso_${Date.now()}`, new Registry());
  users = createUserModel(db);
  identities = createSsoIdentityModel(db);
  const sessionStores = {
    sessions: createSessionModel(db),
    refreshTokens: createRefreshTokenModel(db),
    refreshTokenUses: createRefreshTokenUseModel(db),
  };
  const twoFactorStores = { users, recoveryCodes: createRecoveryCodeModel(db), uses: createTwoFactorUseModel(db) };
  const codeStores = { codes: createLoginCodeModel(db), uses: createLoginCodeUseModel(db) };
  auditEvents = createAuditModel(db);
  await Promise.all(
    [
      users,
      identities,
      auditEvents,
      ...Object.values(sessionStores),
      ...Object.values(codeStores),
      twoFactorStores.uses,
    ].map((model) => model.init()),
  );
  sessions = new SessionService(sessionStores, new TokenService(SECRET));
  const links = new SsoLinks(identities);
  reclaim = new AccountReclaim({
    users,
    links,
    sessions,
    twoFactor: new TwoFactorService(twoFactorStores, new SecretBox(SECRET), SECRET),
    audit: new AuditLog(auditEvents),
  });
  accounts = new SsoAccounts(users, links, reclaim);
  codes = new LoginCodeService(codeStores, () => now);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

describe('SsoAccounts', () => {
  it('creates a verified user without a usable password, then signs the same account in to it', async () => {
    const external = account();
    const created = await accounts.signIn(external, 'global');
    expect(created.outcome).toBe('created');
    expect(created.user).toMatchObject({ email: external.email, name: 'Ida Provider', emailVerified: true });
    expect(created.user.passwordHash).toMatch(/^\$argon2id\$/);
    // A changed email at the provider does not matter: the link is by subject.
    const again = await accounts.signIn({ ...external, email: email() }, 'global');
    expect(again).toMatchObject({ outcome: 'known' });
    expect(again.user.id).toBe(created.user.id);
  });

  it('links by verified email only', async () => {
    const existing = await users.create({ email: email(), name: 'E', passwordHash: 'x', emailVerified: true });
    expect(await refusal(accounts.signIn(account({ email: existing.email, emailVerified: false }), 'global'))).toBe(
      'email_not_verified',
    );
    expect(await refusal(accounts.signIn(account({ email: null }), 'global'))).toBe('email_missing');
    expect(await identities.countDocuments({ userId: existing.id as string })).toBe(0);
    const linked = await accounts.signIn(account({ email: existing.email.toUpperCase() }), 'global');
    expect(linked.outcome).toBe('linked');
    expect(linked.user.id).toBe(existing.id);
    // A verified account keeps its credentials.
    expect((await users.findById(existing.id))?.passwordHash).toBe('x');
  });

  it('takes back an account that never proved its email from whoever set it up', async () => {
    const passwordHash = await hashPassword('squatter password');
    const squatted = await users.create({ email: email(), name: 'S', passwordHash });
    const session = await sessions.start(squatted.id as string, null);
    await identities.create({
      provider: 'github',
      subject: 'squatter',
      userId: squatted.id as string,
      email: squatted.email,
      createdAt: new Date(),
    });
    const external = account({ email: squatted.email });
    const linked = await accounts.signIn(external, 'global');
    expect(linked.user.emailVerified).toBe(true);
    const stored = await users.findById(squatted.id);
    expect(stored?.emailVerified).toBe(true);
    expect(await verifyPassword(stored?.passwordHash ?? '', 'squatter password')).toBe(false);
    expect((await sessions.rotate(session.refreshToken, null)).ok).toBe(false);
    const links = await identities.find({ userId: squatted.id as string }).lean();
    expect(links.map((link) => [link.subject, link.madeByOwner])).toEqual([[external.subject, true]]);
    const [event] = await auditEvents.find({ actorId: squatted.id as string, type: 'ACCOUNT_RECLAIMED' }).lean();
    expect(JSON.parse(event?.details ?? '{}')).toEqual({
      proof: 'provider:oidc',
      createdBy: null,
      removedLinks: ['github'],
      twoFactorRemoved: false,
      passwordRemoved: true,
    });
  });

  it('lets a workspace IdP create accounts but never claim an existing one', async () => {
    const existing = await users.create({ email: email(), name: 'E', passwordHash: 'x', emailVerified: true });
    const saml = { provider: 'saml:w1', emailVerified: true };
    expect(await refusal(accounts.signIn(account({ ...saml, email: existing.email }), 'workspace'))).toBe(
      'account_exists',
    );
    const created = await accounts.signIn(account(saml), 'workspace');
    expect(created).toMatchObject({ outcome: 'created' });
    // Verified for the workspace only, marked as the IdP's, and linked not by the email's owner.
    expect(created.user).toMatchObject({ emailVerified: false, createdByProvider: 'saml:w1' });
    const [link] = await identities.find({ userId: created.user.id as string }).lean();
    expect(link?.madeByOwner).toBe(false);
  });

  it("takes an account back from the links its email's owner did not make, when the email is proven", async () => {
    const link = (userId: string, provider: string, madeByOwner?: boolean) =>
      identities.create({
        provider,
        subject: `s-${(counter += 1)}`,
        userId,
        email: 'x@example.com',
        createdAt: new Date(),
        ...(madeByOwner === undefined ? {} : { madeByOwner }),
      });
    const providers = async (userId: string) =>
      (await identities.find({ userId }).lean()).map((stored) => stored.provider).sort();

    // Stored before the flag: not the owner's while the email was unproven.
    const unverified = await users.create({ email: email(), name: 'U', passwordHash: 'x' });
    await Promise.all([link(unverified.id as string, 'saml:old'), link(unverified.id as string, 'google', true)]);
    expect(await reclaim.emailProven(unverified, 'email-verification', null)).toBe(true);
    expect(await providers(unverified.id as string)).toEqual(['google']);
    expect(await users.findById(unverified.id)).toMatchObject({ emailVerified: true, createdByProvider: null });

    // Already proven: its old links are its owner's, and nothing is taken back.
    const verified = await users.create({ email: email(), name: 'V', passwordHash: 'x', emailVerified: true });
    await link(verified.id as string, 'saml:old');
    const session = await sessions.start(verified.id as string, null);
    expect(await reclaim.emailProven(verified, 'password-reset', null, { passwordHash: 'y' })).toBe(true);
    expect(await providers(verified.id as string)).toEqual(['saml:old']);
    expect((await sessions.rotate(session.refreshToken, null)).ok).toBe(true);
    expect(await auditEvents.countDocuments({ actorId: verified.id as string })).toBe(0);

    // A proof for an address the account no longer has changes nothing.
    const moved = await users.create({ email: email(), name: 'M', passwordHash: 'x' });
    await users.updateOne({ _id: moved._id }, { $set: { email: email() } });
    expect(await reclaim.emailProven(moved, 'email-verification', null)).toBe(false);
    expect((await users.findById(moved.id))?.emailVerified).toBe(false);
  });

  it('gives concurrent first sign-ins of one account the same user', async () => {
    const external = account();
    const results = await Promise.all([accounts.signIn(external, 'global'), accounts.signIn(external, 'global')]);
    expect(results[0].user.id).toBe(results[1].user.id);
    expect(await users.countDocuments({ email: external.email })).toBe(1);
  });

  it('starts over for a linked user that was deleted since', async () => {
    const external = account();
    const first = await accounts.signIn(external, 'global');
    await users.deleteOne({ _id: first.user._id });
    const second = await accounts.signIn(external, 'global');
    expect(second.outcome).toBe('created');
    expect(second.user.id).not.toBe(first.user.id);
  });
});

describe('LoginCodeService', () => {
  const grant = { userId: 'u1', provider: 'oidc', workspaceId: null, outcome: 'created' as const };

  it('stores only a hash, and is spent once even by concurrent exchanges', async () => {
    const code = await codes.issue(grant);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await createLoginCodeModel(db).find().lean())).not.toContain(code);
    const record = await codes.peek(code);
    expect(record).toMatchObject(grant);
    if (!record) return;
    const spent = await Promise.all([codes.spend(record), codes.spend(record), codes.spend(record)]);
    expect(spent.filter(Boolean)).toHaveLength(1);
    expect(await codes.peek(code)).toBeNull();
  });

  it('expires after two minutes', async () => {
    const code = await codes.issue(grant);
    now += LOGIN_CODE_TTL_MS - 1000;
    expect(await codes.peek(code)).not.toBeNull();
    now += 1000;
    expect(await codes.peek(code)).toBeNull();
    expect(await codes.peek('garbage')).toBeNull();
  });
});
