import type { UsersContext } from '../context.js';
import type { SessionTokens } from '../session/session.service.js';
import type { UserDocument } from '../user/user.model.js';
import { toUser } from '../user/user.mapper.js';
import type { AuthPayload } from './auth.payload.js';

/** The answer to a sign-in; the rest of the response is read as the user who signed in. */
export function authPayload(user: UserDocument, tokens: SessionTokens, context: UsersContext): AuthPayload {
  // The rest of this response is read as the user who just signed in (e.g. their email).
  context.identity = { userId: user.id as string };
  context.sessionId = tokens.sessionId;
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: toUser(user) };
}
