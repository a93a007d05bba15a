import { Arg, Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { unauthenticated } from '#internal/errors';
import { AuditEventType } from '../audit/audit.events.js';
import { requireIdentity } from '../auth/auth.guard.js';
import { rateLimited } from '../auth/attemptLimiter.js';
import { normalizeEmail, validatePassword } from '../auth/credentials.js';
import { hashPassword } from '../auth/password.js';
import type { UsersContext } from '../context.js';
import { notify } from '#internal/mail';
import { passwordResetMail, passwordResetNotice, verificationMail } from '../mail/messages.js';
import { ResetPasswordArgs } from './account.args.js';
import { badToken, HOUR_MS, MAX_UNUSED_LINKS } from './mailedLinks.js';

@Resolver()
export class EmailResolver {
  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description:
      'Mails the caller a link that verifies their email (valid 24 hours); false when it is already verified. ' +
      'RATE_LIMITED while three links from the last hour are unused.',
  })
  async requestEmailVerification(@Ctx() context: UsersContext): Promise<boolean> {
    const { userId } = requireIdentity(context);
    const user = await context.users.findById(userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    if (user.emailVerified) return false;
    if ((await context.emailTokens.unusedSince(userId, 'verify-email', HOUR_MS)) >= MAX_UNUSED_LINKS) {
      throw rateLimited(HOUR_MS / 1000);
    }
    const token = await context.emailTokens.issue(userId, user.email, 'verify-email');
    await context.mail.send(verificationMail(user.email, context.publicUrl, token));
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Verifies an email with the token of a verification link; it works once. Needs no sign-in.',
  })
  async verifyEmail(@Arg('token', () => String) token: string, @Ctx() context: UsersContext): Promise<boolean> {
    const spent = await context.emailTokens.spend(token, 'verify-email');
    if (!spent) throw badToken();
    // Only the address the mail went to counts as verified.
    const user = await context.users.findOne({ _id: spent.userId, email: spent.email });
    if (!user || !(await context.sso.reclaim.emailProven(user, 'email-verification', context.clientIp))) {
      throw badToken();
    }
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      'Mails a password-reset link (valid one hour) when an account has this email, unless three of its links ' +
      'from the last hour are still unused. Always true, and as fast either way: the answer never tells ' +
      'whether the email is registered.',
  })
  async requestPasswordReset(
    @Arg('email', () => String) email: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    const clean = normalizeEmail(email);
    // In the background: issuing and sending only for known accounts would otherwise show
    // in the response time. Failures are logged, never reported.
    void (async () => {
      const user = await context.users.findOne({ email: clean });
      if (!user) return;
      // Silently: nobody may learn from the answer that the account exists.
      if ((await context.emailTokens.unusedSince(user.id as string, 'reset-password', HOUR_MS)) >= MAX_UNUSED_LINKS) {
        return;
      }
      const token = await context.emailTokens.issue(user.id as string, user.email, 'reset-password');
      await context.mail.send(passwordResetMail(user.email, context.publicUrl, token));
    })().catch((error: unknown) => context.logger?.error({ err: error }, 'password reset mail failed'));
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      'Sets a new password with the token of a reset link (it works once), verifies the email, signs out every ' +
      'session and takes the account back from provider links its owner did not make (ACCOUNT_RECLAIMED). The ' +
      'address is then mailed a notice, with a link to `resetTwoFactor` when two-factor is on. ' +
      'BAD_USER_INPUT on `token` when the link is invalid, expired or used; on `newPassword` when it is too weak.',
  })
  async resetPassword(
    @Args(() => ResetPasswordArgs) { token, newPassword }: ResetPasswordArgs,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    // Before spending the token: a rejected password leaves the link usable.
    validatePassword(newPassword, 'newPassword');
    const spent = await context.emailTokens.spend(token, 'reset-password');
    if (!spent) throw badToken();
    const user = await context.users.findOne({ _id: spent.userId, email: spent.email });
    const passwordHash = await hashPassword(newPassword);
    // Following the link proves control of the mailbox, so it verifies the email too (and
    // takes the account back from providers its owner did not link).
    const proven =
      user &&
      (await context.sso.reclaim.emailProven(user, 'password-reset', context.clientIp, {
        passwordHash,
        hasPassword: true,
      }));
    if (!user || !proven) throw badToken();
    // Whoever knew the old password is signed out, and older reset links stop working.
    await context.sessions.revokeAll(spent.userId);
    await context.emailTokens.revokeAll(spent.userId, 'reset-password');
    await context.audit.record({ type: AuditEventType.PASSWORD_RESET, actorId: spent.userId, ip: context.clientIp });
    // The owner hears of it, and may remove a second factor they lost (see TwoFactorReset).
    const twoFactorToken = user.twoFactorEnabled
      ? await context.emailTokens.issue(spent.userId, user.email, 'reset-two-factor')
      : null;
    const delay = context.twoFactorReset.delayHours;
    await notify(
      context.mail,
      passwordResetNotice(user.email, context.publicUrl, twoFactorToken, delay),
      context.logger,
    );
    return true;
  }
}
