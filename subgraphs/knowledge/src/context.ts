import type { Identity } from '../../../internal/auth/index.js';
import type { DocumentModel } from './document/document.model.js';

export interface KnowledgeContext {
  identity: Identity | null;
  documents: DocumentModel;
}
