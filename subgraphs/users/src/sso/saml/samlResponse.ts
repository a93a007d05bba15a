import { SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { SsoErrorCode, SsoRefusal } from '../ssoErrors.js';
import type { WorkspaceSamlRecord } from './workspaceSaml.model.js';
import type { SpUrls } from './workspaceSaml.service.js';

/** How far apart our clock and the IdP's may be. */
export const SAML_CLOCK_SKEW_MS = 30_000;
/** An assertion older than this is refused even if the IdP let it live longer. */
const MAX_ASSERTION_AGE_MS = 10 * 60_000;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const EMAIL_ATTRIBUTES = ['email', 'mail', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
const NAME_ATTRIBUTES = ['displayName', 'name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a valid assertion says about the person signing in. */
export interface SamlSignIn {
  /** The stable id of the person at the IdP: the NameID, or the email when the NameID is transient. */
  subject: string;
  email: string | null;
  name: string | null;
  assertionId: string;
  /** Until when the assertion could be presented: how long its use must be remembered. */
  expiresAt: Date;
}

/**
 * The service provider for one workspace. Assertions must be signed by the configured
 * certificate (a signed Response alone is not enough: `wantAssertionsSigned`), name this
 * workspace's entity ID as audience, and be inside their validity window (30 s of skew).
 * InResponseTo is not checked, so IdP-initiated sign-in works; replays are stopped by
 * spending each assertion ID once (WorkspaceSamlService.spendAssertion).
 */
export function samlProvider(config: WorkspaceSamlRecord, urls: SpUrls): SAML {
  return new SAML({
    entryPoint: config.entryPoint,
    issuer: urls.entityId,
    audience: urls.entityId,
    callbackUrl: urls.acsUrl,
    idpCert: config.idpCertificate,
    idpIssuer: config.idpIssuer,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    validateInResponseTo: ValidateInResponseTo.never,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
  });
}

const refuse = (reason: string): SsoRefusal => new SsoRefusal(SsoErrorCode.SAML_INVALID, reason);

type Node = Record<string, unknown>;
/** xml2js shapes: elements are arrays of nodes, attributes under `$`, text under `_`. */
const first = (node: unknown, name: string): Node | undefined => {
  const children = (node as Node | undefined)?.[name];
  return Array.isArray(children) ? (children[0] as Node | undefined) : undefined;
};
const all = (node: unknown, name: string): Node[] => {
  const children = (node as Node | undefined)?.[name];
  return Array.isArray(children) ? (children as Node[]) : [];
};
const attribute = (node: Node | undefined, name: string): string | undefined => {
  const value = (node?.['$'] as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};
const text = (value: unknown): string | null => {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' && single.trim() ? single.trim() : null;
};

/**
 * A bearer SubjectConfirmation for our ACS that has not expired. node-saml checks these
 * only when it validates InResponseTo, which is off (see samlProvider).
 */
function bearerExpiry(assertion: Node, urls: SpUrls, now: number): Date {
  const confirmations = all(first(assertion, 'Subject'), 'SubjectConfirmation').filter(
    (confirmation) => attribute(confirmation, 'Method') === BEARER,
  );
  for (const confirmation of confirmations) {
    const data = first(confirmation, 'SubjectConfirmationData');
    const notOnOrAfter = Date.parse(attribute(data, 'NotOnOrAfter') ?? '');
    const notBefore = Date.parse(attribute(data, 'NotBefore') ?? '');
    if (attribute(data, 'Recipient') !== urls.acsUrl || Number.isNaN(notOnOrAfter)) continue;
    if (now - SAML_CLOCK_SKEW_MS >= notOnOrAfter || now + SAML_CLOCK_SKEW_MS < notBefore) continue;
    return new Date(notOnOrAfter + SAML_CLOCK_SKEW_MS);
  }
  throw refuse('no unexpired bearer SubjectConfirmation for this ACS');
}

function pick(profile: Profile, names: string[]): string | null {
  for (const name of names) {
    const value = text(profile[name]);
    if (value) return value;
  }
  return null;
}

/** Validates a posted `SAMLResponse` against the workspace's IdP; throws SsoRefusal(SAML_INVALID). */
export async function validateSamlResponse(
  config: WorkspaceSamlRecord,
  urls: SpUrls,
  samlResponse: string,
  now = Date.now(),
): Promise<SamlSignIn> {
  let profile: Profile | null;
  try {
    ({ profile } = await samlProvider(config, urls).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    throw refuse((error as Error).message);
  }
  if (!profile) throw refuse('not a sign-in response');
  // node-saml checks the issuer of logout messages only.
  if (profile.issuer !== config.idpIssuer) throw refuse(`issuer ${profile.issuer} is not the configured IdP`);
  const assertion = (profile.getAssertion?.() as Node | undefined)?.['Assertion'] as Node | undefined;
  const assertionId = attribute(assertion, 'ID');
  if (!assertion || !assertionId) throw refuse('the assertion has no ID');
  const expiresAt = bearerExpiry(assertion, urls, now);
  const nameId = profile.nameID?.trim();
  if (!nameId) throw refuse('the assertion has no NameID');
  const email = pick(profile, EMAIL_ATTRIBUTES) ?? (EMAIL.test(nameId) ? nameId : null);
  // A transient NameID changes every time: then the email is the only stable id there is.
  const subject = profile.nameIDFormat === TRANSIENT ? (email?.toLowerCase() ?? null) : nameId;
  if (!subject) throw refuse('the NameID is transient and there is no email');
  return { subject, email, name: pick(profile, NAME_ATTRIBUTES), assertionId, expiresAt };
}
