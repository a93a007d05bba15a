import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { conflict, unauthenticated } from '#internal/errors';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';
import { LogInInput, SignUpInput } from './auth.input.js';
import { AuthPayload } from './auth.payload.js';
import { authPayload } from './auth.mapper.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { normalizeEmail, validateSignUp } from './credentials.js';
import { isDuplicateKey } from '#internal/db';
import { AuditEventType } from '../audit/audit.events.js';
import { emailHash } from './loginLimiter.js';
import { checkSecondFactor } from './secondFactor.js';

/**
 * The same record whether the account exists or not, so that the trace (and the work) of
 * a failed log-in tells nothing either: the account when there is one, and the hash of the
 * address typed, by which attempts on one address are found without keeping it in clear.
 */
const recordFailure = (context: UsersContext, email: string, user: UserDocument | null): Promise<void> =>
  context.audit.record({
    type: AuditEventType.LOGIN_FAILED,
    actorId: null,
    subjectId: user ? (user.id as string) : null,
    ip: context.clientIp,
    details: { reason: 'password', emailHash: emailHash(email) },
  });

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Creates an account and signs it in. CONFLICT when the email has an account. Limited per client address ' +
      'and per email (10 and 5 an hour by default), whatever the outcome: RATE_LIMITED with ' +
      '`extensions.retryAfterSeconds`.',
  })
  async signUp(
    @Arg('input', () => SignUpInput) input: SignUpInput,
    @Ctx() context: UsersContext,
  ): Promise<AuthPayload> {
    const clean = validateSignUp(input);
    // Whether the address is taken or not: sign-up tells which, so the asking is bounded.
    await context.signUpLimiter.count(clean.email, context.clientIp);
    let user: UserDocument;
    try {
      user = await context.users.create({
        email: clean.email,
        name: clean.name,
        passwordHash: await hashPassword(clean.password),
      });
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw conflict('An account with this email already exists.');
      }
      throw error;
    }
    return authPayload(user, await context.sessions.start(user.id as string, context.clientIp), context);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in on a new session. After 5 failed attempts on an account within 15 minutes (or too many from ' +
      'one address) it answers RATE_LIMITED with `extensions.retryAfterSeconds`, without checking the password. ' +
      'With two-factor on, a missing or wrong `totp` is UNAUTHENTICATED with `extensions.twoFactorRequired`, ' +
      'and counts as a failed attempt.',
  })
  async logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() context: UsersContext): Promise<AuthPayload> {
    const email = normalizeEmail(input.email);
    // Before looking the account up: unknown emails are limited exactly like known ones.
    const attempt = await context.loginLimiter.begin(email, context.clientIp);
    const user = await context.users.findOne({ email });
    // Verify against a decoy when there is no account so both paths cost the same.
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
    if (!user || !valid) {
      await attempt.failed();
      await recordFailure(context, email, user);
      throw unauthenticated('Wrong email or password.');
    }
    // Asked only once the password is right. A missing code stays counted like a wrong
    // one (the attempt is not marked succeeded): the retry with the code clears it.
    await checkSecondFactor(user, input.totp, attempt, context);
    await attempt.succeeded();
    const tokens = await context.sessions.start(user.id as string, context.clientIp);
    await context.audit.record({
      type: AuditEventType.LOGIN_SUCCEEDED,
      actorId: user.id as string,
      ip: context.clientIp,
      details: { sessionId: tokens.sessionId },
    });
    return authPayload(user, tokens, context);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Exchanges a refresh token for a new token pair of the same session. Each refresh token works once: ' +
      'presenting a used one again revokes its session.',
  })
  async refreshToken(@Arg('token', () => String) token: string, @Ctx() context: UsersContext): Promise<AuthPayload> {
    const rotation = await context.sessions.rotate(token, context.clientIp);
    if (!rotation.ok && rotation.reason === 'reused') {
      await context.audit.record({
        type: AuditEventType.REFRESH_TOKEN_REUSED,
        actorId: null,
        subjectId: rotation.userId,
        ip: context.clientIp,
        details: { sessionId: rotation.sessionId, outcome: 'session revoked' },
      });
    }
    const user = rotation.ok ? await context.userById.load(rotation.userId) : null;
    if (!rotation.ok || !user) throw unauthenticated('The refresh token is invalid, expired or revoked.');
    return authPayload(user, rotation.tokens, context);
  }
}
