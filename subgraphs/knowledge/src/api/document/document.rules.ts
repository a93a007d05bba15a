import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';
import { canCreateInWorkspace } from '#internal/workspaces';

/** Adding to a workspace needs EDITOR there; a personal document needs only a signed-in caller. */
const canAddKnowledge = canCreateInWorkspace('Adding knowledge');

export const documentRules = {
  Query: { knowledgeDocument: isSignedIn, knowledgeDocuments: isSignedIn },
  // Updates and deletions check the document's owner or workspace role themselves (`findWritableDocument`).
  Mutation: { addKnowledge: canAddKnowledge, updateKnowledge: isSignedIn, deleteKnowledge: isSignedIn },
  // Only documents the caller can see are ever loaded (`document.access.ts`).
  KnowledgeDocument: allow,
  KnowledgeDocumentConnection: allow,
  KnowledgeDocumentEdge: allow,
  PageInfo: allow,
  Workspace: allow,
  User: allow,
};
