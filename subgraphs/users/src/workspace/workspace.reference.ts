import type { UsersContext } from '../context.js';
import { toWorkspace } from './workspace.mapper.js';
import type { Workspace } from './workspace.type.js';

/** Resolves `Workspace` references from other subgraphs: null unless the caller is a member. */
export const workspaceReference = {
  __resolveReference: async (reference: { id: string }, context: UsersContext): Promise<Workspace | null> => {
    if (!context.identity) return null;
    const [doc, role] = await Promise.all([context.workspaces.find(reference.id), context.myRoles.load(reference.id)]);
    return doc && role ? toWorkspace(doc, role) : null;
  },
};
