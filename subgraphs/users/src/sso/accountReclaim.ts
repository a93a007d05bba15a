import { AuditEventType } from '../audit/audit.events.js';
import type { AuditLog } from '../audit/audit.service.js';
import { unusablePasswordHash } from '../auth/password.js';
import type { SessionService } from '../session/session.service.js';
import type { TwoFactorService } from '../twofactor/twoFactor.service.js';
import type { UserDocument, UserModel, UserRecord } from '../user/user.model.js';
import type { SsoLinks, StoredLink } from './ssoLinks.js';

/** How the owner of an address proved it, by following a link mailed there. */
export type EmailProof = 'password-reset' | 'email-verification' | 'invitation';

export interface AccountReclaimDeps {
  users: UserModel;
  links: SsoLinks;
  sessions: Pick<SessionService, 'revokeAll'>;
  twoFactor: Pick<TwoFactorService, 'disable'>;
  audit: Pick<AuditLog, 'record'>;
}

interface TakeBack {
  proof: string;
  ip: string | null;
  links: StoredLink[];
  passwordRemoved: boolean;
}

/**
 * Accounts taken back by whoever controls their email. Anyone may create a workspace and
 * point its SAML at an IdP of their own, which may assert an email nobody has registered
 * yet and so create an account for it (and someone may sign up with an address that is not
 * theirs). When the owner of the address proves it, what the account's creator set up to
 * get back in goes: links to providers the owner did not make, two-factor set up before
 * the email was proven, every session. Each time is audited as ACCOUNT_RECLAIMED.
 */
export class AccountReclaim {
  constructor(private readonly deps: AccountReclaimDeps) {}

  /**
   * `user` has just proven its email by `proof`: the email counts as verified (written
   * together with `set`), and the account is taken back if a provider created it or holds
   * a link its owner did not make. False when the account's email changed meanwhile: the
   * proof was for another address, and nothing was written.
   */
  async emailProven(
    user: UserDocument,
    proof: EmailProof,
    ip: string | null,
    set: Partial<UserRecord> = {},
  ): Promise<boolean> {
    // Before the write: which links count as the owner's depends on the email being unproven until now.
    const links = await this.deps.links.notMadeByOwner({ id: user.id as string, emailVerified: user.emailVerified });
    const { matchedCount } = await this.deps.users.updateOne(
      { _id: user._id, email: user.email },
      { $set: { ...set, emailVerified: true, createdByProvider: null } },
    );
    if (matchedCount === 0) return false;
    // A reset of an account whose email was never proven may be its owner taking back an
    // address someone else signed up with: the squatter's two-factor must not lock them out.
    const squatted = proof === 'password-reset' && !user.emailVerified && user.twoFactorEnabled;
    if (links.length > 0 || user.createdByProvider !== null || squatted) {
      await this.takeBack(user, { proof, ip, links, passwordRemoved: false });
    }
    return true;
  }

  /**
   * A global provider has just proven who controls the email of an account that never
   * proved it (account pre-hijacking: sign up with someone's address, wait for them to use
   * "Sign in with Google"): the password goes too, and every link but the provider's own
   * (`keepLink`). The owner can set a password by reset.
   */
  async claimedByProvider(user: UserDocument, provider: string, keepLink: unknown, ip: string | null): Promise<void> {
    const passwordHash = await unusablePasswordHash();
    await this.deps.users.updateOne(
      { _id: user._id },
      { $set: { emailVerified: true, createdByProvider: null, passwordHash, hasPassword: false } },
    );
    const links = await this.deps.links.allBut(user.id as string, keepLink);
    await this.takeBack(user, { proof: `provider:${provider}`, ip, links, passwordRemoved: true });
    // The document answers the rest of this sign-in: keep it in step with the store.
    Object.assign(user, { emailVerified: true, createdByProvider: null, passwordHash, hasPassword: false });
  }

  private async takeBack(user: UserDocument, { proof, ip, links, passwordRemoved }: TakeBack): Promise<void> {
    const userId = user.id as string;
    // Set up by whoever had the account before its email was proven.
    const twoFactorRemoved = user.twoFactorEnabled && !user.emailVerified;
    // Links before sessions: a sign-in through a removed link is refused from then on.
    await this.deps.links.remove(links);
    if (twoFactorRemoved) {
      await this.deps.twoFactor.disable(user);
      Object.assign(user, { twoFactorEnabled: false, twoFactorSecret: null });
    }
    await this.deps.sessions.revokeAll(userId);
    await this.deps.audit.record({
      type: AuditEventType.ACCOUNT_RECLAIMED,
      actorId: userId,
      ip,
      details: {
        proof,
        createdBy: user.createdByProvider,
        removedLinks: links.map((link) => link.provider),
        twoFactorRemoved,
        passwordRemoved,
      },
    });
  }
}
