import { Schema, type Connection, type Model } from 'mongoose';
import type { WorkspaceRole } from '#internal/workspaces';

/** A role on one flow given to one person, on top of whatever their workspace gives them. */
export interface CollaboratorRecord {
  flowId: string;
  userId: string;
  role: Exclude<WorkspaceRole, 'OWNER'>;
  addedBy: string;
  createdAt: Date;
}

/** A read-only link to a flow, by the SHA-256 of its token; deleting it revokes the link. */
export interface ShareLinkRecord {
  _id: string;
  flowId: string;
  createdBy: string;
  createdAt: Date;
}

export type CollaboratorModel = Model<CollaboratorRecord>;
export type ShareLinkModel = Model<ShareLinkRecord>;

const collaboratorSchema = new Schema<CollaboratorRecord>(
  {
    flowId: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    role: { type: String, required: true, enum: ['ADMIN', 'EDITOR', 'VIEWER'] },
    addedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
collaboratorSchema.index({ flowId: 1, userId: 1 }, { unique: true });

const shareLinkSchema = new Schema<ShareLinkRecord>(
  {
    _id: { type: String, required: true },
    flowId: { type: String, required: true, index: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const createCollaboratorModel = (db: Connection): CollaboratorModel =>
  db.model<CollaboratorRecord>('FlowCollaborator', collaboratorSchema, 'flow_collaborators');

export const createShareLinkModel = (db: Connection): ShareLinkModel =>
  db.model<ShareLinkRecord>('FlowShareLink', shareLinkSchema, 'flow_share_links');
