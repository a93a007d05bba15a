import { rule } from 'graphql-shield';
import type { Identity } from '#internal/auth';
import { forbidden, notFound, unauthenticated } from '#internal/errors';
import type { WorkspaceMemberships } from './memberships.js';
import { hasRole } from './roles.js';

interface MembershipContext {
  identity: Identity | null;
  memberships: WorkspaceMemberships;
}

/**
 * Creating something in `input.workspaceId` needs EDITOR there (NOT_FOUND for a workspace
 * the caller is not in); without a workspace it is personal and needs only a sign-in.
 * `what` ends the refusal: "Creating flows in this workspace needs the EDITOR role."
 */
export const canCreateInWorkspace = (what: string) =>
  rule({ cache: 'strict' })(async (_parent, args: Record<string, unknown>, context: MembershipContext) => {
    if (!context.identity) return unauthenticated();
    const workspaceId = (args['input'] as Record<string, unknown> | undefined)?.['workspaceId'];
    if (workspaceId == null) return true;
    const role = await context.memberships.roleIn(context.identity, String(workspaceId));
    if (!role) return notFound('No such workspace.');
    return hasRole(role, 'EDITOR') || forbidden(`${what} in this workspace needs the EDITOR role.`);
  });
