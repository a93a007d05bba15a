import { allow, rule } from 'graphql-shield';
import { forbidden, notFound, unauthenticated } from '../../../../internal/errors/index.js';
import { isSignedIn } from '../../../../internal/subgraph/index.js';
import { hasRole } from '../../../../internal/workspaces/index.js';
import type { KnowledgeContext } from '../context.js';

/** Adding to a workspace needs EDITOR there; a personal document needs only a signed-in caller. */
const canAddKnowledge = rule({ cache: 'strict' })(async (
  _parent,
  args: Record<string, unknown>,
  context: KnowledgeContext,
) => {
  if (!context.identity) return unauthenticated();
  const workspaceId = (args['input'] as Record<string, unknown> | undefined)?.['workspaceId'];
  if (workspaceId == null) return true;
  const role = await context.memberships.roleIn(context.identity, String(workspaceId));
  if (!role) return notFound('No such workspace.');
  return hasRole(role, 'EDITOR') || forbidden('Adding knowledge to this workspace needs the EDITOR role.');
});

export const documentRules = {
  Query: { knowledgeDocuments: isSignedIn },
  Mutation: { addKnowledge: canAddKnowledge },
  // Only documents the caller can see are ever loaded (`document.access.ts`).
  KnowledgeDocument: allow,
  Workspace: allow,
};
