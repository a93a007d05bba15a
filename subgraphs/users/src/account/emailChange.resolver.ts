import { Arg, Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { isDuplicateKey } from '#internal/db';
import { badUserInput, conflict } from '#internal/errors';
import { AuditEventType } from '../audit/audit.events.js';
import { rateLimited } from '../auth/attemptLimiter.js';
import { validEmail } from '../auth/credentials.js';
import type { UsersContext } from '../context.js';
import { notify } from '#internal/mail';
import { emailChangedNotice, emailChangeMail, emailChangeNotice } from '../mail/messages.js';
import { RequestEmailChangeArgs } from './account.args.js';
import { badToken, HOUR_MS, MAX_UNUSED_LINKS } from './mailedLinks.js';
import { confirmCaller } from './reauthentication.js';

const taken = (): Error => conflict('An account with this email already exists.');

/** Moving an account to another address: asked with the password, done by a link mailed to the new one. */
@Resolver()
export class EmailChangeResolver {
  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description:
      'Mails a link (valid 24 hours) to `newEmail` that makes it the account email (`confirmEmailChange`), and a ' +
      'notice to the current one. Needs the password (see `password`). CONFLICT when `newEmail` has an account, ' +
      "counted like a sign-up of it (sign-up's limits apply); RATE_LIMITED while three links from the last hour " +
      'are unused.',
  })
  async requestEmailChange(
    @Args(() => RequestEmailChangeArgs) { newEmail, password }: RequestEmailChangeArgs,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    const email = validEmail(newEmail, 'newEmail');
    const user = await confirmCaller(context, password);
    const userId = user.id as string;
    if (email === user.email) throw badUserInput('This is the email of your account already.', 'newEmail');
    // It tells whether the address has an account, exactly as sign-up does: bounded the same way.
    await context.signUpLimiter.count(email, context.clientIp);
    if (await context.users.exists({ email })) throw taken();
    if ((await context.emailTokens.unusedSince(userId, 'change-email', HOUR_MS)) >= MAX_UNUSED_LINKS) {
      throw rateLimited(HOUR_MS / 1000);
    }
    const token = await context.emailTokens.issue(userId, email, 'change-email');
    await context.mail.send(emailChangeMail(email, context.publicUrl, token));
    await context.mail.send(emailChangeNotice(user.email, email));
    await context.audit.record({
      type: AuditEventType.EMAIL_CHANGE_REQUESTED,
      actorId: userId,
      ip: context.clientIp,
      details: { to: email },
    });
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      'Makes the address a `requestEmailChange` link went to the account email, verified, with the token of that ' +
      'link (it works once), and signs out every other session. CONFLICT when the address got an account ' +
      'meanwhile. Needs no sign-in.',
  })
  async confirmEmailChange(@Arg('token', () => String) token: string, @Ctx() context: UsersContext): Promise<boolean> {
    const pending = await context.emailTokens.peek(token, 'change-email');
    if (!pending) throw badToken();
    // Before the link is spent, so that a refusal changes nothing; the unique index decides races.
    if (await context.users.exists({ email: pending.email })) throw taken();
    const spent = await context.emailTokens.spend(token, 'change-email');
    const user = spent && (await context.users.findById(spent.userId));
    if (!spent || !user) throw badToken();
    const userId = user.id as string;
    try {
      // The new mailbox's owner has just proven it.
      await context.users.updateOne(
        { _id: user._id },
        { $set: { email: spent.email, emailVerified: true, createdByProvider: null } },
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw taken();
      throw error;
    }
    // Other pending changes go too; links mailed to the old address no longer match the account.
    await context.emailTokens.revokeAll(userId, 'change-email');
    await context.sessions.revokeAll(userId, context.identity?.userId === userId ? context.sessionId : null);
    await context.audit.record({
      type: AuditEventType.EMAIL_CHANGED,
      actorId: userId,
      ip: context.clientIp,
      details: { from: user.email, to: spent.email },
    });
    await notify(context.mail, emailChangedNotice(user.email, spent.email), context.logger);
    return true;
  }
}
