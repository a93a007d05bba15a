import { Schema, type Connection, type Model } from 'mongoose';
import type { FlowShareRole } from '../domain/shareRole.js';

/**
 * An invitation to one flow, mailed to one address, by the SHA-256 of its token: it works
 * once, for the account with that email, until it expires or is revoked (deleted).
 */
export interface FlowInvitationRecord {
  _id: string;
  flowId: string;
  /** Normalized (trimmed, lower case). */
  email: string;
  role: FlowShareRole;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export type FlowInvitationModel = Model<FlowInvitationRecord>;

const flowInvitationSchema = new Schema<FlowInvitationRecord>(
  {
    _id: { type: String, required: true },
    flowId: { type: String, required: true },
    email: { type: String, required: true },
    role: { type: String, required: true, enum: ['ADMIN', 'EDITOR', 'VIEWER'] },
    invitedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// One open invitation per flow and address; a flow's list; an inviter's mails of the last hour.
flowInvitationSchema.index({ flowId: 1, email: 1 }, { unique: true });
flowInvitationSchema.index({ invitedBy: 1, createdAt: -1 });

export const createFlowInvitationModel = (db: Connection): FlowInvitationModel =>
  db.model<FlowInvitationRecord>('FlowInvitation', flowInvitationSchema, 'flow_invitations');
