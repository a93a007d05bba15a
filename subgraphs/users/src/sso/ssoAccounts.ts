import { isDuplicateKey } from '#internal/db';
import { normalizeEmail } from '../auth/credentials.js';
import { unusablePasswordHash } from '../auth/password.js';
import type { UserDocument, UserModel } from '../user/user.model.js';
import type { AccountReclaim } from './accountReclaim.js';
import type { SignInOutcome } from './loginCode.model.js';
import { SsoErrorCode, SsoRefusal } from './ssoErrors.js';
import type { SsoLinks } from './ssoLinks.js';

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
 *   IdP of their own that asserts any email. For the same reason an account it creates is
 *   unverified and marked as its (`createdByProvider`), and its link is not the owner's:
 *   once the owner of the address proves it, the IdP loses the account (AccountReclaim).
 */
export type EmailTrust = 'global' | 'workspace';

export interface SignedIn {
  user: UserDocument;
  outcome: SignInOutcome;
}

function displayName(account: ExternalAccount, email: string): string {
  const name = account.name?.trim().slice(0, 100);
  return name || email.split('@')[0] || email;
}

/** Finds, links or creates the user behind a provider account. */
export class SsoAccounts {
  constructor(
    private readonly users: UserModel,
    private readonly links: SsoLinks,
    private readonly reclaim: Pick<AccountReclaim, 'claimedByProvider'>,
  ) {}

  /**
   * The user for `account`: the one it is linked to; else (with a verified email) the
   * account with that email, linked now; else a new account. Throws SsoRefusal. `ip` is
   * the client's, for the audit log.
   */
  async signIn(account: ExternalAccount, trust: EmailTrust, ip: string | null = null): Promise<SignedIn> {
    // A lost race (the same first sign-in in two tabs) finds the winner's result on a retry;
    // the winner may still be between creating the user and linking it, hence a few tries.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.resolve(account, trust, ip);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      }
    }
  }

  private async resolve(account: ExternalAccount, trust: EmailTrust, ip: string | null): Promise<SignedIn> {
    const known = await this.links.find(account.provider, account.subject);
    if (known) {
      const user = await this.users.findById(known.userId);
      if (user) return { user, outcome: 'known' };
      // The account was deleted since: the stale link goes, and this is a first sign-in again.
      await this.links.delete(known._id);
    }
    const email = account.email === null ? '' : normalizeEmail(account.email);
    if (!EMAIL.test(email) || email.length > 254) {
      throw new SsoRefusal(SsoErrorCode.EMAIL_MISSING, `${account.provider} gave no usable email address`);
    }
    if (!account.emailVerified) {
      throw new SsoRefusal(SsoErrorCode.EMAIL_NOT_VERIFIED, `${account.provider} does not vouch for the email`);
    }
    const existing = await this.users.findOne({ email });
    if (existing) {
      if (trust === 'workspace') {
        throw new SsoRefusal(SsoErrorCode.ACCOUNT_EXISTS, `the email has an account not linked to ${account.provider}`);
      }
      // A global provider vouching for the email speaks for its owner.
      const linkId = await this.link(existing, account, email, true);
      if (!existing.emailVerified) await this.reclaim.claimedByProvider(existing, account.provider, linkId, ip);
      return { user: existing, outcome: 'linked' };
    }
    const user = await this.users.create({
      email,
      name: displayName(account, email),
      passwordHash: await unusablePasswordHash(),
      hasPassword: false,
      // A workspace IdP vouches for its own people only (see EmailTrust): elsewhere the
      // address still counts as unverified until a mailed link proves it.
      emailVerified: trust === 'global',
      createdByProvider: trust === 'workspace' ? account.provider : null,
    });
    await this.link(user, account, email, trust === 'global');
    return { user, outcome: 'created' };
  }

  /** Links the provider account to `user`; the link's id. */
  private link(user: UserDocument, account: ExternalAccount, email: string, madeByOwner: boolean): Promise<unknown> {
    return this.links.create({
      provider: account.provider,
      subject: account.subject,
      userId: user.id as string,
      email,
      madeByOwner,
    });
  }
}
