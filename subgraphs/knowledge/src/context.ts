import type { Identity } from '#internal/auth';
import type { WorkspaceMemberships } from '#internal/workspaces';
import type { DocumentModel } from './store/document.model.js';

export interface KnowledgeContext {
  identity: Identity | null;
  documents: DocumentModel;
  /** The caller's workspace roles, asked of the users subgraph. */
  memberships: WorkspaceMemberships;
}
