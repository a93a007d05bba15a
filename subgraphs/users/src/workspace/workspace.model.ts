import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';
import { WORKSPACE_ROLES, type WorkspaceRole } from '#internal/workspaces';

export interface WorkspaceRecord {
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One person's role in one workspace; unique per pair. The owner is the member with role OWNER. */
export interface MembershipRecord {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  createdAt: Date;
}

/** An invitation mailed to an address, by the SHA-256 of its token. */
export interface InvitationRecord {
  _id: string;
  workspaceId: string;
  email: string;
  role: WorkspaceRole;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export type WorkspaceDocument = HydratedDocument<WorkspaceRecord>;
export type MembershipDocument = HydratedDocument<MembershipRecord>;
export type WorkspaceModel = Model<WorkspaceRecord>;
export type MembershipModel = Model<MembershipRecord>;
export type InvitationModel = Model<InvitationRecord>;

const workspaceSchema = new Schema<WorkspaceRecord>(
  { name: { type: String, required: true } },
  { timestamps: true, versionKey: false },
);

const membershipSchema = new Schema<MembershipRecord>(
  {
    workspaceId: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    role: { type: String, required: true, enum: WORKSPACE_ROLES },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// Joining twice (two accepted invitations racing) leaves one membership.
membershipSchema.index({ workspaceId: 1, userId: 1 }, { unique: true });

const invitationSchema = new Schema<InvitationRecord>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true, index: true },
    email: { type: String, required: true },
    role: { type: String, required: true, enum: WORKSPACE_ROLES },
    invitedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const createWorkspaceModel = (db: Connection): WorkspaceModel =>
  db.model<WorkspaceRecord>('Workspace', workspaceSchema, 'workspaces');

export const createMembershipModel = (db: Connection): MembershipModel =>
  db.model<MembershipRecord>('Membership', membershipSchema, 'memberships');

export const createInvitationModel = (db: Connection): InvitationModel =>
  db.model<InvitationRecord>('Invitation', invitationSchema, 'workspace_invitations');
