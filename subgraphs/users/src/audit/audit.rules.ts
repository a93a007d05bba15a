import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const auditRules = {
  Query: { myAuditLog: isSignedIn },
  // Events are only ever loaded for their own user or for a workspace's admins (`Workspace.auditLog`).
  AuditEvent: allow,
  AuditEventEdge: allow,
  AuditEventConnection: allow,
  PageInfo: allow,
};
