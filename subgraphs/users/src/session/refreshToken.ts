import { createHash, randomBytes } from 'node:crypto';

// Refresh tokens are opaque `<sessionId>.<secret>` rather than JWTs. Whether one is valid
// depends entirely on server state (rotation, reuse, revocation), so a signature would add
// a second thing to get wrong and nothing to rely on; an opaque token can never pass for an
// access token at the router, and tells whoever holds it nothing about the user. Only the
// secret's SHA-256 is stored: 32 random bytes need no salt or slow hash, and a leaked
// database yields no usable token. The hash also serves as the token's id.

const SESSION_ID = /^[a-f0-9]{24}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedRefreshToken {
  /** What the client gets. */
  token: string;
  /** What we store, and the token's id. */
  tokenHash: string;
}

export interface PresentedRefreshToken {
  sessionId: string;
  tokenHash: string;
}

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function newRefreshToken(sessionId: string): IssuedRefreshToken {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${sessionId}.${secret}`, tokenHash: sha256(secret) };
}

/** The session and token id a token claims, or null when it is not shaped like one of ours. */
export function parseRefreshToken(token: string): PresentedRefreshToken | null {
  const [sessionId, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !sessionId || !secret || !SESSION_ID.test(sessionId) || !SECRET.test(secret)) return null;
  return { sessionId, tokenHash: sha256(secret) };
}
