import { AuditEventType } from '../audit/audit.events.js';
import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { badUserInput, conflict, unauthenticated } from '../../../../internal/errors/index.js';
import { requireIdentity } from '../auth/auth.guard.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';
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

@Resolver()
export class TwoFactorResolver {
  @Directive('@authenticated')
  @Mutation(() => TwoFactorEnrollment, {
    description:
      'Starts turning on two-factor log-in: a new TOTP secret, pending until `confirmTwoFactor`. CONFLICT when ' +
      'two-factor is already on.',
  })
  async enrollTwoFactor(@Ctx() context: UsersContext): Promise<TwoFactorEnrollment> {
    const user = await caller(context);
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
    description: 'Turns two-factor off; `code` is a current TOTP code or an unused recovery code.',
  })
  async disableTwoFactor(@Arg('code', () => String) code: string, @Ctx() context: UsersContext): Promise<boolean> {
    const user = await caller(context);
    if (!user.twoFactorEnabled) throw badUserInput('Two-factor authentication is not enabled.', 'code');
    await checked(context, user, () => context.twoFactor.verify(user, code));
    await context.twoFactor.disable(user);
    await context.audit.record({
      type: AuditEventType.TWO_FACTOR_DISABLED,
      actorId: user.id as string,
      ip: context.clientIp,
    });
    return true;
  }
}
