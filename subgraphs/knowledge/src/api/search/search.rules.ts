import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const searchRules = {
  Query: { searchKnowledge: isSignedIn, retrieveKnowledge: isSignedIn },
  // Hits are only ever of documents in the scopes the caller may read (`search.resolver.ts`).
  KnowledgeHit: allow,
  KnowledgeChunk: allow,
  TextRange: allow,
  KnowledgeRetrieval: allow,
  RetrievedChunk: allow,
};
