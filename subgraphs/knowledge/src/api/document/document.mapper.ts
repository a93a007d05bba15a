import type { KnowledgeDocumentDoc } from '../../store/document.model.js';
import type { KnowledgeDocument } from './document.type.js';

export const toKnowledgeDocument = (doc: KnowledgeDocumentDoc): KnowledgeDocument => ({
  id: doc.id as string,
  title: doc.title,
  content: doc.content,
  text: doc.text || doc.content,
  format: doc.format,
  source: doc.source ?? null,
  tags: doc.tags ?? [],
  workspace: doc.workspaceId ? { id: doc.workspaceId } : null,
  creator: { id: doc.ownerId },
  version: doc.version ?? 1,
  indexStatus: doc.indexStatus,
  indexError: doc.indexError ?? null,
  chunkCount: doc.chunkCount ?? 0,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt ?? doc.createdAt,
});
