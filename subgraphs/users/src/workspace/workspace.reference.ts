import type { UsersContext } from '../context.js';
import { toWorkspace } from './workspace.mapper.js';
import type { Workspace } from './workspace.type.js';

/**
 * Resolves `Workspace` references from other subgraphs: null unless the caller is a
 * member. Workspaces and the caller's roles are each loaded in one batch per request.
 */
export const workspaceReference = {
  __resolveReference: async (reference: { id: string }, context: UsersContext): Promise<Workspace | null> => {
    if (!context.identity) return null;
    const [doc, role] = await Promise.all([
      context.workspaceById.load(reference.id),
      context.myRoles.load(reference.id),
    ]);
    return doc && role ? toWorkspace(doc, role) : null;
  },
};
