import { allow, rule } from 'graphql-shield';
import { forbidden, notFound, unauthenticated } from '#internal/errors';
import { hasRole, type WorkspaceRole } from '#internal/workspaces';
import { isSignedIn } from '#internal/subgraph';
import type { UsersContext } from '../context.js';
import type { Workspace } from './workspace.type.js';

/** The caller is ADMIN or OWNER of the workspace being read (checked against the store, per request). */
const isWorkspaceAdmin = rule({ cache: 'strict' })(async (workspace: Workspace, _args, context: UsersContext) =>
  hasRole(await context.myRoles.load(workspace.id), 'ADMIN'),
);

/**
 * The caller has at least `role` in the workspace named by an argument: NOT_FOUND for
 * non-members (a workspace you are not in does not exist for you), FORBIDDEN for weaker roles.
 */
const hasRoleIn = (role: WorkspaceRole, workspaceIdOf: (args: Record<string, unknown>) => unknown) =>
  rule({ cache: 'strict' })(async (_parent, args: Record<string, unknown>, context: UsersContext) => {
    const workspaceId = workspaceIdOf(args);
    if (!context.identity) return unauthenticated();
    if (typeof workspaceId !== 'string') return false;
    const actual = await context.myRoles.load(workspaceId);
    if (!actual) return notFound('No such workspace.');
    return hasRole(actual, role) || forbidden(`This needs the ${role} role in the workspace, or a stronger one.`);
  });

const input = (args: Record<string, unknown>): Record<string, unknown> =>
  (args['input'] as Record<string, unknown> | undefined) ?? {};

export const workspaceRules = {
  Query: { workspace: allow, myWorkspaces: isSignedIn },
  Mutation: {
    createWorkspace: isSignedIn,
    renameWorkspace: hasRoleIn('ADMIN', (args) => args['id']),
    inviteToWorkspace: hasRoleIn('ADMIN', (args) => input(args)['workspaceId']),
    // By invitation id: the service checks the role in the invitation's workspace.
    revokeWorkspaceInvitation: isSignedIn,
    acceptWorkspaceInvitation: isSignedIn,
    changeWorkspaceRole: hasRoleIn('ADMIN', (args) => args['workspaceId']),
    // Any member may leave; whom an admin may remove the service decides.
    removeWorkspaceMember: hasRoleIn('VIEWER', (args) => args['workspaceId']),
    transferWorkspaceOwnership: hasRoleIn('OWNER', (args) => args['workspaceId']),
  },
  // A Workspace is only ever returned to its members (queries and references check it).
  Workspace: { '*': allow, invitations: isWorkspaceAdmin, auditLog: isWorkspaceAdmin },
  WorkspaceMember: allow,
  WorkspaceInvitation: allow,
};
