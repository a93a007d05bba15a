import { AppError, ErrorCode, badUserInput, unauthenticated } from '#internal/errors';
import { requireIdentity } from '../auth/auth.guard.js';
import { verifyPassword } from '../auth/password.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';

/**
 * The caller's account, once `password` is proven right. A wrong password is
 * BAD_USER_INPUT on `field`, not UNAUTHENTICATED: the caller is signed in, and clients
 * treat UNAUTHENTICATED as "sign in again". Guesses count against the log-in limits, so a
 * stolen access token is no way round them.
 */
export async function verifyCaller(context: UsersContext, password: string, field: string): Promise<UserDocument> {
  const { userId } = requireIdentity(context);
  const user = await context.users.findById(userId);
  if (!user) throw unauthenticated('The account no longer exists.');
  const attempt = await context.loginLimiter.begin(user.email, context.clientIp);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await attempt.failed();
    throw badUserInput('The password is wrong.', field);
  }
  await attempt.succeeded();
  return user;
}

/**
 * The caller's account, for a change to how it is protected (two-factor, recovery codes,
 * its email): an access token alone is not enough, since it may have been copied. The
 * password confirms it (as in `verifyCaller`); an account without one (made by a sign-in
 * provider) may instead act from a session that signed in within the last minutes.
 * Otherwise FORBIDDEN with `extensions.reason = "REAUTHENTICATION_REQUIRED"`.
 */
export async function confirmCaller(context: UsersContext, password: string | null | undefined): Promise<UserDocument> {
  if (password !== null && password !== undefined) return verifyCaller(context, password, 'password');
  const { userId } = requireIdentity(context);
  const user = await context.users.findById(userId);
  if (!user) throw unauthenticated('The account no longer exists.');
  if (!user.hasPassword && (await context.recentSignIn.check(userId, context.sessionId))) return user;
  const how = user.hasPassword
    ? 'Confirm this with your password (`password`).'
    : `Sign in again to confirm this: it needs a sign-in from the last ${context.recentSignIn.windowMinutes} minutes.`;
  throw new AppError(ErrorCode.FORBIDDEN, how, { reason: 'REAUTHENTICATION_REQUIRED' });
}
