import type { AccountDeletionHandler } from '#internal/events';
import type { DocumentModel } from '../store/document.model.js';

/**
 * What the knowledge domain does when an account is deleted: the user's personal documents
 * go; a workspace's documents stay with the workspace (their `ownerId` stays as an id).
 * Nothing of a document is in Chroma yet; when chunks are, they go here too.
 */
export const removeAccountDocuments =
  (documents: DocumentModel): AccountDeletionHandler =>
  async ({ userId }) => {
    await documents.deleteMany({ ownerId: userId, workspaceId: null });
  };
