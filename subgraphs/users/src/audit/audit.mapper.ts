import type { AuditDocument } from './audit.model.js';
import type { AuditEvent } from './audit.type.js';

export const toAuditEvent = (doc: AuditDocument): AuditEvent => ({
  id: doc.id as string,
  type: doc.type,
  at: doc.at,
  actor: null,
  subject: null,
  actorId: doc.actorId,
  subjectId: doc.subjectId,
  workspaceId: doc.workspaceId,
  ip: doc.ip,
  details: doc.details ? (JSON.parse(doc.details) as unknown) : null,
});
