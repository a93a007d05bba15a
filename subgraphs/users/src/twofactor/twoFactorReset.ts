import { AuditEventType } from '../audit/audit.events.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Logger } from '#internal/logger';
import { notify, type Mailer } from '#internal/mail';
import { twoFactorRemovedMail, twoFactorResetCancelledMail, twoFactorResetScheduledMail } from '../mail/messages.js';
import type { UserDocument, UserModel } from '../user/user.model.js';
import type { TwoFactorService } from './twoFactor.service.js';

export interface TwoFactorResetDeps {
  users: UserModel;
  twoFactor: Pick<TwoFactorService, 'disable'>;
  audit: Pick<AuditLog, 'record'>;
  mail: Mailer;
  /** How long after it is asked two-factor goes; 0: at once. @default 24 */
  delayHours: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * Two-factor removed through the verified email, for an owner who lost both the
 * authenticator and the recovery codes: the link comes with the notice of a password
 * reset. A mailbox alone then gives the password; it must not give the second factor at
 * the same moment. So the removal waits (24 hours by default), the owner is mailed, and
 * any sign-in with the second factor meanwhile cancels it. Once due, it happens at the
 * next sign-in, which then needs no code.
 */
export class TwoFactorReset {
  private readonly now: () => number;

  constructor(private readonly deps: TwoFactorResetDeps) {
    this.now = deps.now ?? Date.now;
  }

  get delayHours(): number {
    return this.deps.delayHours;
  }

  /** Asks for the removal of the user's two-factor: when it goes (now, with no delay). */
  async schedule(user: UserDocument, ip: string | null): Promise<Date> {
    if (!user.twoFactorEnabled) return new Date(this.now());
    if (this.deps.delayHours === 0) {
      await this.remove(user, ip);
      return new Date(this.now());
    }
    const asked = new Date(this.now() + this.deps.delayHours * 3600_000);
    // A removal asked earlier keeps its time: asking again never makes it sooner or later.
    const dueAt = user.twoFactorResetAt && user.twoFactorResetAt < asked ? user.twoFactorResetAt : asked;
    // First: nothing is scheduled that its owner was not told of.
    await this.deps.mail.send(twoFactorResetScheduledMail(user.email, dueAt));
    await this.deps.users.updateOne({ _id: user._id }, { $set: { twoFactorResetAt: dueAt } });
    await this.deps.audit.record({
      type: AuditEventType.TWO_FACTOR_RESET_SCHEDULED,
      actorId: user.id as string,
      ip,
      details: { dueAt: dueAt.toISOString() },
    });
    return dueAt;
  }

  /**
   * For a sign-in whose first factor is proven: removes two-factor if its removal is due
   * (true: the sign-in needs no code).
   */
  async applyIfDue(user: UserDocument, ip: string | null): Promise<boolean> {
    if (!user.twoFactorEnabled || !user.twoFactorResetAt || user.twoFactorResetAt.getTime() > this.now()) return false;
    await this.remove(user, ip);
    return true;
  }

  /** For a sign-in that proved the second factor: the owner still has it, so a pending removal is cancelled. */
  async cancel(user: UserDocument, ip: string | null): Promise<void> {
    if (!user.twoFactorResetAt) return;
    await this.deps.users.updateOne({ _id: user._id }, { $set: { twoFactorResetAt: null } });
    user.twoFactorResetAt = null;
    await this.deps.audit.record({ type: AuditEventType.TWO_FACTOR_RESET_CANCELLED, actorId: user.id as string, ip });
    await notify(this.deps.mail, twoFactorResetCancelledMail(user.email), this.deps.logger);
  }

  private async remove(user: UserDocument, ip: string | null): Promise<void> {
    await this.deps.twoFactor.disable(user);
    Object.assign(user, { twoFactorEnabled: false, twoFactorSecret: null, twoFactorResetAt: null });
    await this.deps.audit.record({ type: AuditEventType.TWO_FACTOR_RESET, actorId: user.id as string, ip });
    await notify(this.deps.mail, twoFactorRemovedMail(user.email), this.deps.logger);
  }
}
