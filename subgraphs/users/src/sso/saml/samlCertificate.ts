import { X509Certificate } from 'node:crypto';
import { badUserInput } from '#internal/errors';

export interface ParsedCertificate {
  /** Normalized PEM, one certificate. */
  pem: string;
  /** SHA-256 fingerprint, `AB:CD:…`, as IdP admin consoles show it. */
  fingerprint: string;
  expiresAt: Date;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Parses an IdP signing certificate, as PEM or as the bare base64 that IdP metadata
 * carries. BAD_USER_INPUT on `field` for anything that is not one X.509 certificate,
 * or that has expired (every assertion it signs would be refused anyway).
 */
export function parseCertificate(input: string, field: string, now = Date.now()): ParsedCertificate {
  const trimmed = input.trim();
  const pem = PEM.test(trimmed)
    ? trimmed
    : `-----BEGIN CERTIFICATE-----\n${trimmed.replace(/\s+/g, '')}\n-----END CERTIFICATE-----`;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw badUserInput('This is not an X.509 certificate in PEM format.', field);
  }
  const expiresAt = new Date(certificate.validTo);
  if (expiresAt.getTime() <= now) {
    throw badUserInput(`The certificate expired on ${expiresAt.toISOString()}.`, field);
  }
  return { pem: certificate.toString().trim(), fingerprint: certificate.fingerprint256, expiresAt };
}
