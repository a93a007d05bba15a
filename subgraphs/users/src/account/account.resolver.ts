import { Arg, Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { AuditEventType } from '../audit/audit.events.js';
import { requireIdentity } from '../auth/auth.guard.js';
import { validatePassword } from '../auth/credentials.js';
import { hashPassword } from '../auth/password.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';
import { ChangePasswordArgs } from './account.args.js';
import { verifyCaller } from './reauthentication.js';

const userId = (user: UserDocument): string => user.id as string;

@Resolver()
export class AccountResolver {
  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description:
      "Changes the caller's password and signs out every other session. A wrong current password is " +
      'BAD_USER_INPUT on `currentPassword`.',
  })
  async changePassword(
    @Args(() => ChangePasswordArgs) { currentPassword, newPassword }: ChangePasswordArgs,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    requireIdentity(context);
    validatePassword(newPassword, 'newPassword');
    const user = await verifyCaller(context, currentPassword, 'currentPassword');
    await context.users.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(newPassword) } });
    // Whoever else may know the old password is signed out everywhere else. When the
    // current session is not known (no `sid` reached us) every session goes, this one too.
    await context.sessions.revokeAll(user.id as string, context.sessionId);
    await context.audit.record({ type: AuditEventType.PASSWORD_CHANGED, actorId: userId(user), ip: context.clientIp });
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description: "Deletes the caller's account and signs out all its sessions. A wrong password is BAD_USER_INPUT.",
  })
  async deleteAccount(@Arg('password', () => String) password: string, @Ctx() context: UsersContext): Promise<boolean> {
    const user = await verifyCaller(context, password, 'password');
    const userId = user.id as string;
    // Owned workspaces would be left without an owner: refused before anything is deleted.
    await context.workspaces.leaveAll(userId);
    // The deletion event for the other domains, before the user goes: a crash from here on
    // leaves it in place (it is served once the user is gone), and a crash before the user
    // goes leaves an event nobody is served until `deleteAccount` is called again.
    await context.accountDeletions.record(userId);
    // The user next: from then on no log-in or refresh can succeed, even if revoking
    // the sessions fails half-way. Access tokens still verify until they expire, but
    // `me` resolves to null and references to the user to a "Deleted user".
    await context.users.deleteOne({ _id: user._id });
    await context.sessions.revokeAll(userId);
    await context.twoFactor.forget(userId);
    await context.audit.record({ type: AuditEventType.ACCOUNT_DELETED, actorId: userId, ip: context.clientIp });
    return true;
  }
}
