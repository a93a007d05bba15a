import { parseCertificate } from './samlCertificate.js';
import type { WorkspaceSamlRecord } from './workspaceSaml.model.js';
import type { SpUrls } from './workspaceSaml.service.js';
import type { WorkspaceSaml } from './workspaceSaml.type.js';

export function toWorkspaceSaml(record: WorkspaceSamlRecord, urls: SpUrls, usable: boolean): WorkspaceSaml {
  // Stored certificates were valid when set; reading must still work once one has expired.
  const certificate = parseCertificate(record.idpCertificate, 'idpCertificate', 0);
  return {
    workspaceId: record._id,
    entryPoint: record.entryPoint,
    reconfigurationRequired: !usable,
    idpIssuer: record.idpIssuer,
    idpCertificate: certificate.pem,
    idpCertificateFingerprint: certificate.fingerprint,
    idpCertificateExpiresAt: certificate.expiresAt,
    defaultRole: record.defaultRole,
    spEntityId: urls.entityId,
    acsUrl: urls.acsUrl,
    metadataUrl: urls.metadataUrl,
    loginUrl: urls.loginUrl,
    updatedAt: record.updatedAt,
  };
}
