import type { EnvReader } from '#internal/config';

/** An OpenID Connect issuer found by discovery: the generic one (`oidc`) or Google. */
export interface OidcProviderConfig {
  kind: 'oidc';
  name: 'oidc' | 'google';
  /** The issuer identifier exactly as the provider publishes it (a trailing slash matters). */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** GitHub's OAuth 2.0 apps: no OpenID Connect, so the verified email comes from its REST API. */
export interface GithubProviderConfig {
  kind: 'github';
  name: 'github';
  clientId: string;
  clientSecret: string;
  /** Where the authorize and token endpoints live. @default https://github.com */
  webUrl: string;
  /** The REST API (`/user`, `/user/emails`). @default https://api.github.com */
  apiUrl: string;
}

export type SsoProviderConfig = OidcProviderConfig | GithubProviderConfig;
export type SsoProviderName = SsoProviderConfig['name'];

export interface SsoConfig {
  /** The providers whose variables are set; the others are off. */
  providers: SsoProviderConfig[];
  /** Where the browser lands after signing in, with `#login_code=` or `#login_error=`. */
  appUrl: string;
  /**
   * `SAML_ALLOW_INSECURE_IDP=1`: workspace IdPs may have http single sign-on URLs. For
   * development against a local IdP only. @default false
   */
  samlAllowInsecureIdp: boolean;
}

const GOOGLE_ISSUER = 'https://accounts.google.com';

/**
 * A provider is on when any of its variables is set; then all of its required ones must
 * be (a half-configured provider is a mistake to report at start, not a silent "off").
 */
function pair(reader: EnvReader, idVar: string, secretVar: string, also: string[] = []): [string, string] | null {
  if (![idVar, secretVar, ...also].some((name) => reader.string(name) !== undefined)) return null;
  const hint = `set ${[idVar, secretVar, ...also].join(', ')} together (the client registered with the provider)`;
  return [reader.required(idVar, hint), reader.required(secretVar, hint)];
}

/** The sign-in providers (`OIDC_*`, `GOOGLE_*`, `GITHUB_*`) and `APP_URL`. */
export function readSsoConfig(reader: EnvReader, publicUrl: string): SsoConfig {
  const providers: SsoProviderConfig[] = [];
  const oidc = pair(reader, 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', ['OIDC_ISSUER']);
  if (oidc) {
    // Validated as a URL, but kept as written: discovery compares it with the published issuer.
    const valid = reader.url('OIDC_ISSUER');
    const issuer = reader.required(
      'OIDC_ISSUER',
      'the issuer URL of the OpenID provider (discovery is at /.well-known)',
    );
    if (valid) providers.push({ kind: 'oidc', name: 'oidc', issuer, clientId: oidc[0], clientSecret: oidc[1] });
  }
  const google = pair(reader, 'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET');
  if (google) {
    providers.push({
      kind: 'oidc',
      name: 'google',
      issuer: GOOGLE_ISSUER,
      clientId: google[0],
      clientSecret: google[1],
    });
  }
  const github = pair(reader, 'GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET');
  if (github) {
    providers.push({
      kind: 'github',
      name: 'github',
      clientId: github[0],
      clientSecret: github[1],
      webUrl: reader.url('GITHUB_URL') ?? 'https://github.com',
      apiUrl: reader.url('GITHUB_API_URL') ?? 'https://api.github.com',
    });
  }
  return {
    providers,
    appUrl: reader.url('APP_URL') ?? publicUrl,
    samlAllowInsecureIdp: reader.flag('SAML_ALLOW_INSECURE_IDP'),
  };
}
