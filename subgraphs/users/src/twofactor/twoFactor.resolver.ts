import { Arg, Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { badUserInput, conflict, unauthenticated } from '#internal/errors';
import { CONFIRMING_PASSWORD } from '../account/account.args.js';
import { badToken } from '../account/mailedLinks.js';
import { confirmCaller } from '../account/reauthentication.js';
import { AuditEventType } from '../audit/audit.events.js';
import { requireIdentity } from '../auth/auth.guard.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';
import { CodeAndPasswordArgs } from './twoFactor.args.js';
import { RecoveryCodes, TwoFactorEnrollment } from './twoFactor.type.js';

async function caller(context: UsersContext): Promise<UserDocument> {
  const { userId } = requireIdentity(context);
  const user = await context.users.findById(userId);
  if (!user) throw unauthenticated('The account no longer exists.');
  return user;
}

// Wrong codes here are BAD_USER_INPUT, not UNAUTHENTICATED: the caller is signed in, and
// clients treat UNAUTHENTICATED as "sign in again". They count against the log-in limits,
// so a stolen access token is no way to guess codes faster.
async function checked(context: UsersContext, user: UserDocument, check: () => Promise<boolean>): Promise<void> {
  const attempt = await context.loginLimiter.begin(user.email, context.clientIp);
  if (!(await check())) {
    await attempt.failed();
    throw badUserInput('The code is wrong or has been used already.', 'code');
  }
  await attempt.succeeded();
}

const notEnabled = (): Error => badUserInput('Two-factor authentication is not enabled.', 'code');

@Resolver()
export class TwoFactorResolver {
  @Directive('@authenticated')
  @Mutation(() => TwoFactorEnrollment, {
    description:
      'Starts turning on two-factor log-in: a new TOTP secret, pending until `confirmTwoFactor`. Needs the ' +
      'password (see `password`). CONFLICT when two-factor is already on.',
  })
  async enrollTwoFactor(
    @Arg('password', () => String, { nullable: true, description: CONFIRMING_PASSWORD }) password: string | null,
    @Ctx() context: UsersContext,
  ): Promise<TwoFactorEnrollment> {
    const user = await confirmCaller(context, password);
    if (user.twoFactorEnabled) throw conflict('Two-factor authentication is already enabled; disable it first.');
    return context.twoFactor.enroll(user);
  }

  @Directive('@authenticated')
  @Mutation(() => RecoveryCodes, {
    description:
      'Turns two-factor on once `code` proves the authenticator app has the pending secret. Returns ten ' +
      'single-use recovery codes, shown this once.',
  })
  async confirmTwoFactor(
    @Arg('code', () => String) code: string,
    @Ctx() context: UsersContext,
  ): Promise<RecoveryCodes> {
    const user = await caller(context);
    if (user.twoFactorEnabled) throw conflict('Two-factor authentication is already enabled.');
    if (!user.twoFactorPendingSecret) throw badUserInput('Call enrollTwoFactor first.', 'code');
    let codes: string[] | null = null;
    await checked(context, user, async () => (codes = await context.twoFactor.confirm(user, code)) !== null);
    await context.audit.record({
      type: AuditEventType.TWO_FACTOR_ENABLED,
      actorId: user.id as string,
      ip: context.clientIp,
    });
    return { codes: codes ?? [] };
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description:
      'Turns two-factor off; `code` is a current TOTP code or an unused recovery code, and it needs the password.',
  })
  async disableTwoFactor(
    @Args(() => CodeAndPasswordArgs) { code, password }: CodeAndPasswordArgs,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    const user = await caller(context);
    if (!user.twoFactorEnabled) throw notEnabled();
    await confirmCaller(context, password);
    await checked(context, user, () => context.twoFactor.verify(user, code));
    await context.twoFactor.disable(user);
    await context.audit.record({
      type: AuditEventType.TWO_FACTOR_DISABLED,
      actorId: user.id as string,
      ip: context.clientIp,
    });
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => RecoveryCodes, {
    description:
      'Ten new single-use recovery codes, shown this once; the unused old ones stop working. `code` is a current ' +
      'TOTP code or an unused recovery code, and it needs the password.',
  })
  async regenerateRecoveryCodes(
    @Args(() => CodeAndPasswordArgs) { code, password }: CodeAndPasswordArgs,
    @Ctx() context: UsersContext,
  ): Promise<RecoveryCodes> {
    const user = await caller(context);
    if (!user.twoFactorEnabled) throw notEnabled();
    await confirmCaller(context, password);
    await checked(context, user, () => context.twoFactor.verify(user, code));
    const codes = await context.twoFactor.newRecoveryCodes(user.id as string);
    await context.audit.record({
      type: AuditEventType.RECOVERY_CODES_REGENERATED,
      actorId: user.id as string,
      ip: context.clientIp,
    });
    return { codes };
  }

  @Mutation(() => Date, {
    description:
      'Removes two-factor with the token of the link in a password-reset notice (it works once): after ' +
      '`TWO_FACTOR_RESET_DELAY_HOURS` (24 by default; the owner is mailed, and a sign-in with two-factor before ' +
      'then cancels it), or at once with 0. Returns when it goes. Needs no sign-in.',
  })
  async resetTwoFactor(@Arg('token', () => String) token: string, @Ctx() context: UsersContext): Promise<Date> {
    const spent = await context.emailTokens.spend(token, 'reset-two-factor');
    // Only for the address the notice went to.
    const user = spent && (await context.users.findOne({ _id: spent.userId, email: spent.email }));
    if (!spent || !user) throw badToken();
    return context.twoFactorReset.schedule(user, context.clientIp);
  }
}
