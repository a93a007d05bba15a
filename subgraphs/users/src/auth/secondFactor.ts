import { AppError, ErrorCode } from '#internal/errors';
import { AuditEventType } from '../audit/audit.events.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';
import type { LoginAttempt } from './loginLimiter.js';

/**
 * The second factor of a sign-in whose first one (password, provider) is proven, with
 * `logIn`'s answers: a missing or wrong code is UNAUTHENTICATED with
 * `extensions.twoFactorRequired`, counts as a failed attempt and is audited; a recovery
 * code is audited when used. Nothing to do for users without two-factor, nor once its
 * removal through a password-reset notice is due (it happens now); a right code cancels
 * a removal still pending.
 */
export async function checkSecondFactor(
  user: UserDocument,
  totp: string | null | undefined,
  attempt: LoginAttempt,
  context: Pick<UsersContext, 'twoFactor' | 'twoFactorReset' | 'audit' | 'clientIp'>,
): Promise<void> {
  if (!user.twoFactorEnabled) return;
  if (await context.twoFactorReset.applyIfDue(user, context.clientIp)) return;
  const fail = async (reason: string, message: string): Promise<never> => {
    await attempt.failed();
    await context.audit.record({
      type: AuditEventType.LOGIN_FAILED,
      actorId: null,
      subjectId: user.id as string,
      ip: context.clientIp,
      details: { reason },
    });
    throw new AppError(ErrorCode.UNAUTHENTICATED, message, { twoFactorRequired: true });
  };
  if (!totp?.trim()) {
    return fail(
      'two-factor code missing',
      'This account uses two-factor authentication: send the code from the authenticator app (or a recovery code) as `totp`.',
    );
  }
  const factor = await context.twoFactor.verifyFactor(user, totp);
  if (!factor) return fail('two-factor code wrong', 'The two-factor code is wrong or has been used already.');
  if (factor === 'recovery-code') {
    await context.audit.record({
      type: AuditEventType.RECOVERY_CODE_USED,
      actorId: user.id as string,
      ip: context.clientIp,
    });
  }
  await context.twoFactorReset.cancel(user, context.clientIp);
}
