import type { Identity } from '#internal/auth';
import type { KeyedLock } from '#internal/keyedLock';
import type { WorkspaceMemberships } from '#internal/workspaces';
import type { KnowledgeIndexer } from './indexing/indexer.js';
import type { KnowledgeSearch } from './indexing/search.js';
import type { DocumentModel } from './store/document.model.js';

export interface KnowledgeContext {
  identity: Identity | null;
  documents: DocumentModel;
  /** Changes of one document run one at a time here (the embedded engine has no atomic compare-and-set). */
  documentLocks: KeyedLock;
  /** Indexes what was written (`kick`) and removes what was deleted (`remove`). */
  indexer: KnowledgeIndexer;
  search: KnowledgeSearch;
  /** The caller's workspace roles, asked of the users subgraph. */
  memberships: WorkspaceMemberships;
}
