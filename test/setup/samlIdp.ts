// A SAML identity provider for tests: a key pair and self-signed certificate made on the
// spot, and Responses built and signed (with xml-crypto) the way IdPs sign them.
import { randomUUID } from 'node:crypto';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';

export interface AssertionOptions {
  /** The SP entity ID the assertion is for. */
  audience: string;
  /** The ACS URL (SubjectConfirmationData Recipient, Response Destination). */
  recipient: string;
  nameId: string;
  email?: string;
  name?: string;
  /** Overrides the IdP's own entity ID as Issuer. */
  issuer?: string;
  /** End of the validity window of both the Conditions and the bearer confirmation. @default in 5 minutes */
  notOnOrAfter?: Date;
  /** End of the bearer confirmation only. @default notOnOrAfter */
  confirmationNotOnOrAfter?: Date;
  /** What is signed. @default 'assertion' */
  sign?: 'assertion' | 'response' | 'none';
  /** Another IdP's key signs instead (with this IdP's Issuer). */
  signWith?: TestIdp;
}

export interface TestIdp {
  entityId: string;
  /** PEM, as an admin pastes it into the configuration. */
  certificate: string;
  privateKey: string;
  /** A base64 `SAMLResponse`, as the IdP's auto-submitting form posts it. */
  response: (options: AssertionOptions) => string;
  /** The IdP's metadata XML, as admins download it from the IdP, with `ssoUrl` as its HTTP-Redirect endpoint. */
  metadata: (ssoUrl: string, options?: MetadataOptions) => string;
}

export interface MetadataOptions {
  /** Leave the signing certificate out. */
  withoutCertificate?: boolean;
  /** Leave the entityID out. */
  withoutEntityId?: boolean;
  /** The binding of the single sign-on endpoint. @default HTTP-Redirect */
  binding?: string;
}

const HTTP_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An IdP's metadata in the shape IdPs publish it (`md:` prefixed, the certificate as bare
 * base64), with `ssoUrl` as its HTTP-Redirect endpoint.
 */
export function idpMetadataXml(
  idp: Pick<TestIdp, 'entityId' | 'certificate'>,
  ssoUrl: string,
  options: MetadataOptions = {},
): string {
  const base64 = idp.certificate.replace(/-----[A-Z ]+-----|\s/g, '');
  const key = options.withoutCertificate
    ? ''
    : `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` +
      `<ds:X509Data><ds:X509Certificate>${base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  const entityId = options.withoutEntityId ? '' : ` entityID="${escape(idp.entityId)}"`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"${entityId}>` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    key +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escape(ssoUrl)}/post"/>` +
    `<md:SingleSignOnService Binding="${escape(options.binding ?? HTTP_REDIRECT)}" Location="${escape(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

function sign(xml: string, idp: TestIdp, element: 'Assertion' | 'Response'): string {
  const signer = new SignedXml({
    privateKey: idp.privateKey,
    publicCert: idp.certificate,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  const target = `//*[local-name(.)='${element}']`;
  signer.addReference({
    xpath: target,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  // Where the schema puts it: right after the element's own Issuer.
  signer.computeSignature(xml, {
    location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

export async function createTestIdp(entityId: string): Promise<TestIdp> {
  const generated = await generate([{ name: 'commonName', value: 'test-idp.example.com' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const idp: TestIdp = {
    entityId,
    certificate: generated.cert,
    privateKey: generated.private,
    response: (options) => {
      const now = new Date();
      const notOnOrAfter = options.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
      const confirmationEnd = options.confirmationNotOnOrAfter ?? notOnOrAfter;
      const issuer = escape(options.issuer ?? entityId);
      const attributes = [
        ['email', options.email],
        ['displayName', options.name],
      ]
        .filter((pair): pair is [string, string] => pair[1] !== undefined)
        .map(
          ([name, value]) =>
            `<saml:Attribute Name="${name}"><saml:AttributeValue>${escape(value)}</saml:AttributeValue></saml:Attribute>`,
        )
        .join('');
      const assertion =
        `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${randomUUID()}" Version="2.0" IssueInstant="${iso(now)}">` +
        `<saml:Issuer>${issuer}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(options.nameId)}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
        `<saml:SubjectConfirmationData NotOnOrAfter="${iso(confirmationEnd)}" Recipient="${escape(options.recipient)}"/>` +
        `</saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
        `<saml:AudienceRestriction><saml:Audience>${escape(options.audience)}</saml:Audience></saml:AudienceRestriction>` +
        `</saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="_s${randomUUID()}"><saml:AuthnContext>` +
        `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
        `</saml:AuthnContext></saml:AuthnStatement>` +
        (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
        `</saml:Assertion>`;
      const signer = options.signWith ?? idp;
      const mode = options.sign ?? 'assertion';
      const body = mode === 'assertion' ? sign(assertion, signer, 'Assertion') : assertion;
      const response =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
        `ID="_r${randomUUID()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${escape(options.recipient)}">` +
        `<saml:Issuer>${issuer}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
        body +
        `</samlp:Response>`;
      const signed = mode === 'response' ? sign(response, signer, 'Response') : response;
      return Buffer.from(signed, 'utf8').toString('base64');
    },
    metadata: (ssoUrl, options) => idpMetadataXml(idp, ssoUrl, options),
  };
  return idp;
}
