export { canManage, hasRole, isWorkspaceRole, WORKSPACE_ROLES, type WorkspaceRole } from './roles.js';
export { WorkspaceMemberships, type Memberships } from './memberships.js';
export { canCreateInWorkspace } from './rules.js';
