import { allow } from 'graphql-shield';
import { isSignedIn } from '../../../../internal/subgraph/index.js';

export const documentRules = {
  Query: { knowledgeDocuments: isSignedIn },
  // Only the caller's own documents are ever loaded.
  KnowledgeDocument: allow,
};
