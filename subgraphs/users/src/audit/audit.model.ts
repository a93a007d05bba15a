import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

/** One security event. `details` is a JSON string: the store must not see user-shaped keys. */
export interface AuditRecord {
  type: string;
  at: Date;
  /** Who did it; null when nobody was signed in (a failed log-in). */
  actorId: string | null;
  /** Whom it concerned, when that is someone else or nobody signed in (the account of a failed log-in). */
  subjectId: string | null;
  /** The workspace it happened in, for workspace events. */
  workspaceId: string | null;
  ip: string | null;
  details: string | null;
}

export type AuditDocument = HydratedDocument<AuditRecord>;
export type AuditModel = Model<AuditRecord>;

const auditSchema = new Schema<AuditRecord>(
  {
    type: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, default: null },
    subjectId: { type: String, default: null },
    workspaceId: { type: String, default: null },
    ip: { type: String, default: null },
    details: { type: String, default: null },
  },
  { versionKey: false },
);
auditSchema.index({ workspaceId: 1, _id: -1 });
auditSchema.index({ actorId: 1, _id: -1 });
auditSchema.index({ subjectId: 1, _id: -1 });

export const createAuditModel = (db: Connection): AuditModel =>
  db.model<AuditRecord>('AuditEvent', auditSchema, 'audit_events');
