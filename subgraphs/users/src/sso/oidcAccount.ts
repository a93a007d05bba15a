import * as client from 'openid-client';
import type { ExternalAccount } from './ssoAccounts.js';

type Claims = Record<string, unknown>;

/** Some issuers send booleans as strings ("true"); nothing else counts as verified. */
const isTrue = (value: unknown): boolean => value === true || value === 'true';
const stringOr = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

/**
 * The account behind an OpenID Connect sign-in, from the verified ID token, completed from
 * the UserInfo endpoint when the token leaves the email out (many issuers put profile
 * claims only there).
 */
export async function oidcAccount(
  provider: string,
  config: client.Configuration,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
): Promise<ExternalAccount> {
  const idToken = tokens.claims();
  if (!idToken) throw new Error(`${provider}: the token response has no ID token`);
  let claims: Claims = idToken;
  if (typeof idToken['email'] !== 'string' || idToken['email_verified'] === undefined) {
    // The subject must match the ID token's, or the answer is about someone else.
    claims = { ...idToken, ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)) };
  }
  return {
    provider,
    subject: idToken.sub,
    email: stringOr(claims['email']),
    emailVerified: isTrue(claims['email_verified']),
    name: stringOr(claims['name']) ?? stringOr(claims['preferred_username']),
  };
}
