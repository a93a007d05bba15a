/** Roles in a workspace, strongest first. */
export const WORKSPACE_ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

const RANK: Record<WorkspaceRole, number> = { OWNER: 4, ADMIN: 3, EDITOR: 2, VIEWER: 1 };

/** Whether `role` carries at least the rights of `atLeast`; no role carries none. */
export const hasRole = (role: WorkspaceRole | null | undefined, atLeast: WorkspaceRole): boolean =>
  role != null && RANK[role] >= RANK[atLeast];

/** Whether someone with `actor` may grant, change or take away `target`: only roles below their own. */
export const canManage = (actor: WorkspaceRole, target: WorkspaceRole): boolean => RANK[actor] > RANK[target];

export const isWorkspaceRole = (value: unknown): value is WorkspaceRole =>
  typeof value === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(value);
