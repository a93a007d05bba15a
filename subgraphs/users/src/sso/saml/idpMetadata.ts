import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { badUserInput, type AppError } from '#internal/errors';
import { parseCertificate } from './samlCertificate.js';

/** What a workspace's SAML configuration takes from its IdP's metadata. */
export interface IdpMetadata {
  /** The IdP's entity ID: the Issuer its assertions must carry. */
  entityId: string;
  /** Its single sign-on URL for the HTTP-Redirect binding: where sign-ins send the browser. */
  entryPoint: string;
  /** Its signing certificate, PEM. */
  certificate: string;
}

const FIELD = 'idpMetadata';
const HTTP_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
/** Metadata of one IdP is a few kB; federation aggregates of thousands of entities are not what this takes. */
const MAX_CHARS = 256 * 1024;
const LISTS = new Set([
  'EntityDescriptor',
  'IDPSSODescriptor',
  'KeyDescriptor',
  'SingleSignOnService',
  'X509Certificate',
]);

type Node = Record<string, unknown>;

const refuse = (message: string): AppError => badUserInput(message, FIELD);
const children = (node: unknown, name: string): Node[] => {
  const value = (node as Node | undefined)?.[name];
  return Array.isArray(value) ? (value as Node[]) : value === undefined ? [] : [value as Node];
};
const attribute = (node: Node, name: string): string | undefined => {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
};
const text = (node: unknown): string | undefined => {
  const value = typeof node === 'object' && node !== null ? (node as Node)['#text'] : node;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/**
 * Where a sign-in may send the browser: an https URL, or with `allowInsecure` (development
 * against a local IdP) http too. Checked when metadata is uploaded and again at every
 * sign-in, so configurations stored under older rules (or under the switch) obey it.
 */
export function isAllowedEntryPoint(location: string, allowInsecure: boolean): boolean {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (allowInsecure && url.protocol === 'http:');
}

/** The signing certificate of the descriptor: the first one that parses and has not expired. */
function signingCertificate(idp: Node, now: number): string {
  const candidates = children(idp, 'KeyDescriptor')
    // Without `use`, a key is for signing and encryption both.
    .filter((key) => (attribute(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => children(children(children(key, 'KeyInfo')[0], 'X509Data')[0], 'X509Certificate'))
    .map(text)
    .filter((value): value is string => value !== undefined && value.trim().length > 0);
  let firstProblem: unknown;
  for (const candidate of candidates) {
    try {
      return parseCertificate(candidate, FIELD, now).pem;
    } catch (error) {
      firstProblem ??= error;
    }
  }
  if (firstProblem) throw firstProblem;
  throw refuse('The metadata has no signing certificate (KeyDescriptor with an X509Certificate).');
}

/**
 * Reads an IdP's SAML metadata (an EntityDescriptor, alone or in an EntitiesDescriptor)
 * for the one IdP it describes: its entity ID, signing certificate and HTTP-Redirect
 * single sign-on URL, which must be https unless `allowInsecure`. BAD_USER_INPUT on
 * `idpMetadata` naming what is missing or wrong.
 */
export function parseIdpMetadata(xml: string, options: { allowInsecure: boolean; now: number }): IdpMetadata {
  const source = xml.trim();
  if (source.length === 0) throw refuse("Paste the IdP's SAML metadata (XML).");
  if (source.length > MAX_CHARS) throw refuse(`The metadata is longer than ${MAX_CHARS / 1024} kB.`);
  // No document type, so no entity of our own making can be declared, let alone expanded.
  if (/<!DOCTYPE/i.test(source)) throw refuse('Metadata with a DOCTYPE declaration is not accepted.');
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw refuse(`The metadata is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}).`);
  const document = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => LISTS.has(name),
  }).parse(source) as Node;

  const entities = [
    ...children(document, 'EntityDescriptor'),
    ...children(children(document, 'EntitiesDescriptor')[0], 'EntityDescriptor'),
  ];
  const idps = entities.filter((entity) => children(entity, 'IDPSSODescriptor').length > 0);
  if (idps.length !== 1) {
    throw refuse(
      `The metadata must describe exactly one identity provider (IDPSSODescriptor); it describes ${idps.length}.`,
    );
  }
  const [entity] = idps as [Node];
  const entityId = attribute(entity, 'entityID') ?? '';
  if (entityId.length === 0 || entityId.length > 1024)
    throw refuse('The metadata has no entityID (1 to 1024 characters).');
  const [idp] = children(entity, 'IDPSSODescriptor') as [Node];
  const redirect = children(idp, 'SingleSignOnService').find(
    (service) => attribute(service, 'Binding') === HTTP_REDIRECT,
  );
  const entryPoint = redirect && attribute(redirect, 'Location');
  if (!entryPoint) throw refuse('The metadata has no SingleSignOnService with the HTTP-Redirect binding.');
  if (!isAllowedEntryPoint(entryPoint, options.allowInsecure)) {
    throw refuse(`The single sign-on URL ${entryPoint.slice(0, 200)} is not an https URL.`);
  }
  return { entityId, entryPoint: new URL(entryPoint).href, certificate: signingCertificate(idp, options.now) };
}
