import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import { badUserInput } from '#internal/errors';
import { AuditEventType } from '../audit/audit.events.js';
import { authPayload } from '../auth/auth.mapper.js';
import { AuthPayload } from '../auth/auth.payload.js';
import { checkSecondFactor } from '../auth/secondFactor.js';
import type { UsersContext } from '../context.js';
import { ExchangeLoginCodeArgs } from './sso.args.js';

const invalidCode = (): Error => badUserInput('The log-in code is invalid, expired or has been used already.', 'code');

@Resolver()
export class SsoResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Finishes a sign-in through a provider (`/auth/oidc`, `/auth/google`, `/auth/github`, workspace SAML): ' +
      'the code from the `#login_code=` redirect becomes a session, like `logIn`. A code works once and for ' +
      'two minutes (BAD_USER_INPUT on `code` otherwise). With two-factor on, a missing or wrong `totp` is ' +
      'UNAUTHENTICATED with `extensions.twoFactorRequired` and leaves the code usable.',
  })
  async exchangeLoginCode(
    @Args(() => ExchangeLoginCodeArgs) { code, totp }: ExchangeLoginCodeArgs,
    @Ctx() context: UsersContext,
  ): Promise<AuthPayload> {
    const grant = await context.sso.loginCodes.peek(code);
    const user = grant ? await context.users.findById(grant.userId) : null;
    if (!grant || !user) throw invalidCode();
    // A link removed since (the email's owner took the account back) signs nobody in.
    const linkProvider = grant.workspaceId ? `saml:${grant.workspaceId}` : grant.provider;
    if (!(await context.sso.links.has(user.id as string, linkProvider))) throw invalidCode();
    if (user.twoFactorEnabled) {
      // The provider stands in for the password; guesses at the code count as at `logIn`.
      const attempt = await context.loginLimiter.begin(user.email, context.clientIp);
      await checkSecondFactor(user, totp, attempt, context);
      await attempt.succeeded();
    }
    // Spent last: a refused second factor leaves the code for the retry with the right one.
    if (!(await context.sso.loginCodes.spend(grant))) throw invalidCode();
    const tokens = await context.sessions.start(user.id as string, context.clientIp);
    await context.audit.record({
      type: AuditEventType.SSO_LOGIN,
      actorId: user.id as string,
      workspaceId: grant.workspaceId,
      ip: context.clientIp,
      details: { provider: grant.provider, account: grant.outcome, sessionId: tokens.sessionId },
    });
    return authPayload(user, tokens, context);
  }
}
