/** A role on one flow, for someone it is shared with beyond its workspace. */
export const FlowShareRole = { ADMIN: 'ADMIN', EDITOR: 'EDITOR', VIEWER: 'VIEWER' } as const;
export type FlowShareRole = (typeof FlowShareRole)[keyof typeof FlowShareRole];
