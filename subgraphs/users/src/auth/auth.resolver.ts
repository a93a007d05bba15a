import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { conflict, unauthenticated } from '../../../../internal/errors/index.js';
import type { UsersContext } from '../context.js';
import type { UserDocument } from '../user/user.model.js';
import { toUser } from '../user/user.resolver.js';
import { LogInInput, SignUpInput } from './auth.input.js';
import { AuthPayload } from './auth.payload.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { normalizeEmail, validateSignUp } from './auth.validation.js';

const DUPLICATE_KEY = 11000;

async function issueTokens(user: UserDocument, context: UsersContext): Promise<AuthPayload> {
  const userId = user.id as string;
  // The rest of this response is read as the user who just signed in (e.g. their email).
  context.identity = { userId };
  const [accessToken, refreshToken] = await Promise.all([
    context.tokens.sign(userId, 'access'),
    context.tokens.sign(userId, 'refresh'),
  ]);
  return { accessToken, refreshToken, user: toUser(user) };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  async signUp(
    @Arg('input', () => SignUpInput) input: SignUpInput,
    @Ctx() context: UsersContext,
  ): Promise<AuthPayload> {
    const clean = validateSignUp(input);
    try {
      const user = await context.users.create({
        email: clean.email,
        name: clean.name,
        passwordHash: await hashPassword(clean.password),
      });
      return await issueTokens(user, context);
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) {
        throw conflict('An account with this email already exists.');
      }
      throw error;
    }
  }

  @Mutation(() => AuthPayload)
  async logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() context: UsersContext): Promise<AuthPayload> {
    const user = await context.users.findOne({ email: normalizeEmail(input.email) });
    // Verify against a decoy when there is no account so both paths cost the same.
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
    if (!user || !valid) throw unauthenticated('Wrong email or password.');
    return issueTokens(user, context);
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for a new token pair.' })
  async refreshToken(@Arg('token', () => String) token: string, @Ctx() context: UsersContext): Promise<AuthPayload> {
    const verified = await context.tokens.verify(token, 'refresh');
    const user = verified ? await context.userById.load(verified.userId) : null;
    if (!user) throw unauthenticated('The refresh token is invalid or expired.');
    return issueTokens(user, context);
  }
}
