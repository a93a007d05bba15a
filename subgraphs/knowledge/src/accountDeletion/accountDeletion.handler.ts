import type { AccountDeletionHandler } from '#internal/events';
import type { KnowledgeIndexer } from '../indexing/indexer.js';
import type { DocumentModel } from '../store/document.model.js';

/**
 * What the knowledge domain does when an account is deleted: the user's personal documents
 * go, with their chunks and vectors; a workspace's documents stay with the workspace (their
 * `ownerId` stays as an id). Run again after a failure, it finishes what is left.
 */
export const removeAccountDocuments =
  (documents: DocumentModel, indexer: KnowledgeIndexer): AccountDeletionHandler =>
  async ({ userId }) => {
    const personal = await documents.find({ ownerId: userId, workspaceId: null }, { ownerId: 1, workspaceId: 1 });
    await indexer.remove(personal);
  };
