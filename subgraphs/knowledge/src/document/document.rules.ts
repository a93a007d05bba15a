import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';
import { canCreateInWorkspace } from '#internal/workspaces';

/** Adding to a workspace needs EDITOR there; a personal document needs only a signed-in caller. */
const canAddKnowledge = canCreateInWorkspace('Adding knowledge');

export const documentRules = {
  Query: { knowledgeDocuments: isSignedIn },
  Mutation: { addKnowledge: canAddKnowledge },
  // Only documents the caller can see are ever loaded (`document.access.ts`).
  KnowledgeDocument: allow,
  Workspace: allow,
};
