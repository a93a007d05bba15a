import type { WorkspaceRole } from '#internal/workspaces';
import type { InvitationRecord, WorkspaceDocument } from './workspace.model.js';
import type { Workspace, WorkspaceInvitation } from './workspace.type.js';

export const toWorkspace = (doc: WorkspaceDocument, myRole: WorkspaceRole): Workspace => ({
  id: doc.id as string,
  name: doc.name,
  createdAt: doc.createdAt,
  myRole,
});

export const toInvitation = (record: InvitationRecord): WorkspaceInvitation => ({
  id: record._id,
  email: record.email,
  role: record.role,
  createdAt: record.createdAt,
  expiresAt: record.expiresAt,
  invitedBy: record.invitedBy,
});
