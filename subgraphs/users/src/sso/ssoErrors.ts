/**
 * Why a sign-in at a provider did not finish: the app receives one of these as
 * `#login_error=<code>` and shows its own message. Fixed strings, never provider text.
 */
export const SsoErrorCode = {
  /** No such provider, or it is not configured here. */
  UNKNOWN_PROVIDER: 'unknown_provider',
  /** The callback does not belong to a sign-in this browser started (state, nonce or PKCE check failed). */
  INVALID_STATE: 'invalid_state',
  /** The user cancelled or refused consent at the provider. */
  ACCESS_DENIED: 'access_denied',
  /** The provider failed or answered something unusable (discovery, token exchange, profile). */
  PROVIDER_ERROR: 'provider_error',
  /** The provider gave no email address. */
  EMAIL_MISSING: 'email_missing',
  /** The provider does not vouch for the email: accounts are linked and created by verified email only. */
  EMAIL_NOT_VERIFIED: 'email_not_verified',
  /** Workspace SSO found an account with this email that it was never linked to (see SsoAccounts). */
  ACCOUNT_EXISTS: 'account_exists',
  /** The workspace has no SAML configuration (or does not exist). */
  SAML_NOT_CONFIGURED: 'saml_not_configured',
  /** The workspace's SAML configuration predates the rules on IdP metadata and breaks them: its admins must upload it again. */
  SAML_RECONFIGURATION_REQUIRED: 'saml_reconfiguration_required',
  /** The SAML response was refused: signature, issuer, audience, validity window, recipient or replay. */
  SAML_INVALID: 'saml_invalid',
  INTERNAL_ERROR: 'internal_error',
} as const;

export type SsoErrorCode = (typeof SsoErrorCode)[keyof typeof SsoErrorCode];

/** A sign-in refused for a reason the user can be told (as its code). */
export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SsoRefusal';
  }
}

/** `${appUrl}/#login_code=…` or `#login_error=…`: the fragment reaches neither servers nor logs. */
export function appRedirect(appUrl: string, outcome: { code: string } | { error: SsoErrorCode }): string {
  const url = new URL(appUrl);
  url.hash = 'code' in outcome ? `login_code=${outcome.code}` : `login_error=${outcome.error}`;
  return url.href;
}
