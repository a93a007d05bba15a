import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '../../../../internal/db/index.js';
import { normalizeEmail } from '../auth/auth.validation.js';
import { hashPassword } from '../auth/password.js';
import type { SessionService } from '../session/session.service.js';
import type { TwoFactorService } from '../twofactor/twoFactor.service.js';
import type { UserDocument, UserModel } from '../user/user.model.js';
import type { SignInOutcome } from './loginCode.model.js';
import { SsoErrorCode, SsoRefusal } from './ssoErrors.js';
import type { SsoIdentityModel } from './ssoIdentity.model.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a provider told us about the person signing in. */
export interface ExternalAccount {
  /** `oidc`, `google`, `github`, or `saml:<workspaceId>`. */
  provider: string;
  subject: string;
  email: string | null;
  /** Whether the provider vouches that the person controls `email`. */
  emailVerified: boolean;
  name: string | null;
}

/**
 * How far a provider's word on the email goes.
 * - `global`: a public identity provider (Google, GitHub, the configured OIDC issuer):
 *   a verified email links to an existing account and creates verified accounts.
 * - `workspace`: a workspace's SAML IdP, run by that workspace's admins. It is trusted to
 *   create accounts for its people and to sign in the accounts it is linked to, but never
 *   to take over an existing account: anyone can create a workspace and point it at an
 *   IdP of their own that asserts any email.
 */
export type EmailTrust = 'global' | 'workspace';

export interface SsoStores {
  users: UserModel;
  identities: SsoIdentityModel;
}

export interface SignedIn {
  user: UserDocument;
  outcome: SignInOutcome;
}

/** A password nobody knows: accounts made by a provider sign in through it (or set one by password reset). */
const unusablePasswordHash = (): Promise<string> => hashPassword(randomBytes(32).toString('base64url'));

function displayName(account: ExternalAccount, email: string): string {
  const name = account.name?.trim().slice(0, 100);
  return name || email.split('@')[0] || email;
}

/** Finds, links or creates the user behind a provider account. */
export class SsoAccounts {
  constructor(
    private readonly stores: SsoStores,
    private readonly sessions: SessionService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  /**
   * The user for `account`: the one it is linked to; else (with a verified email) the
   * account with that email, linked now; else a new account. Throws SsoRefusal.
   */
  async signIn(account: ExternalAccount, trust: EmailTrust): Promise<SignedIn> {
    // A lost race (the same first sign-in in two tabs) finds the winner's result on a retry;
    // the winner may still be between creating the user and linking it, hence a few tries.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.resolve(account, trust);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      }
    }
  }

  private async resolve(account: ExternalAccount, trust: EmailTrust): Promise<SignedIn> {
    const { users, identities } = this.stores;
    const known = await identities.findOne({ provider: account.provider, subject: account.subject }).lean();
    if (known) {
      const user = await users.findById(known.userId);
      if (user) return { user, outcome: 'known' };
      // The account was deleted since: the stale link goes, and this is a first sign-in again.
      await identities.deleteOne({ _id: known._id });
    }
    const email = account.email === null ? '' : normalizeEmail(account.email);
    if (!EMAIL.test(email) || email.length > 254) {
      throw new SsoRefusal(SsoErrorCode.EMAIL_MISSING, `${account.provider} gave no usable email address`);
    }
    if (!account.emailVerified) {
      throw new SsoRefusal(SsoErrorCode.EMAIL_NOT_VERIFIED, `${account.provider} does not vouch for the email`);
    }
    const existing = await users.findOne({ email });
    if (existing) {
      if (trust === 'workspace') {
        throw new SsoRefusal(SsoErrorCode.ACCOUNT_EXISTS, `the email has an account not linked to ${account.provider}`);
      }
      const linkId = await this.link(existing, account, email);
      if (!existing.emailVerified) await this.claim(existing, linkId);
      return { user: existing, outcome: 'linked' };
    }
    const user = await users.create({
      email,
      name: displayName(account, email),
      passwordHash: await unusablePasswordHash(),
      // A workspace IdP vouches for its own people only (see EmailTrust): elsewhere the
      // address still counts as unverified until a mailed link proves it.
      emailVerified: trust === 'global',
    });
    await this.link(user, account, email);
    return { user, outcome: 'created' };
  }

  /** Links the provider account to `user`; the link's id. */
  private async link(user: UserDocument, account: ExternalAccount, email: string): Promise<unknown> {
    const identity = await this.stores.identities.create({
      provider: account.provider,
      subject: account.subject,
      userId: user.id as string,
      email,
      createdAt: new Date(),
    });
    return identity._id;
  }

  /**
   * The provider has just proven who controls the email of an account that never proved
   * it. Whoever created that account may not have been the mailbox owner (account
   * pre-hijacking: sign up with someone's address, wait for them to use "Sign in with
   * Google"), so everything they could have set up to get back in goes: the password,
   * two-factor, sessions and other provider links. The owner can set a password by reset.
   */
  private async claim(user: UserDocument, keepLink: unknown): Promise<void> {
    const userId = user.id as string;
    const passwordHash = await unusablePasswordHash();
    await this.stores.users.updateOne({ _id: user._id }, { $set: { emailVerified: true, passwordHash } });
    if (user.twoFactorEnabled) await this.twoFactor.disable(user);
    await this.sessions.revokeAll(userId);
    await this.stores.identities.deleteMany({ userId, _id: { $ne: keepLink } });
    // The document answers the rest of this sign-in: keep it in step with the store.
    Object.assign(user, { emailVerified: true, passwordHash, twoFactorEnabled: false, twoFactorSecret: null });
  }
}
