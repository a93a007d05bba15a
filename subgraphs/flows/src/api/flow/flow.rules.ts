import { allow, rule } from 'graphql-shield';
import { forbidden, notFound, unauthenticated } from '#internal/errors';
import { isSignedIn } from '#internal/subgraph';
import { canCreateInWorkspace, hasRole, type WorkspaceRole } from '#internal/workspaces';
import type { FlowsContext } from '../../context.js';
import { loadVisibleFlow, roleOnFlow } from './flow.access.js';

type Args = Record<string, unknown>;

const noSuchFlow = (): Error => notFound('There is no flow with this id.');

/**
 * The caller has at least `atLeast` on the flow named by an argument: their role in its
 * workspace, or OWNER of a personal flow. A flow they cannot see is NOT_FOUND, exactly
 * like a missing one; a weaker role is FORBIDDEN.
 */
export const hasFlowRole = (atLeast: WorkspaceRole, flowIdOf: (args: Args) => unknown) =>
  // Cached per flow id for the request (shield's 'strict' hashes all arguments: ops included).
  rule({ cache: (_parent: unknown, args: Args) => String(flowIdOf(args)) })(
    async (_parent, args: Args, context: FlowsContext) => {
      const flowId = flowIdOf(args);
      if (!context.identity) return unauthenticated();
      if (typeof flowId !== 'string') return false;
      const flow = await loadVisibleFlow(context, flowId);
      const role = flow && (await roleOnFlow(context, flow, atLeast));
      if (!role) return noSuchFlow();
      return hasRole(role, atLeast) || forbidden(`Changing this flow needs the ${atLeast} role in its workspace.`);
    },
  );

/**
 * The caller has at least `atLeast` on the flow a field belongs to. A flow read through a
 * share link (`sharedFlow`) gives no role: its sharing fields stay closed to link holders.
 */
export const hasRoleOnParentFlow = (atLeast: WorkspaceRole) =>
  rule({ cache: (parent: { id: string }) => parent.id })(
    async (parent: { id: string }, _args: Args, context: FlowsContext) => {
      if (!context.identity) return unauthenticated();
      const flow = await loadVisibleFlow(context, parent.id);
      const role = flow && (await roleOnFlow(context, flow, atLeast));
      return hasRole(role, atLeast) || forbidden(`This needs the ${atLeast} role on the flow.`);
    },
  );

/** Creating in a workspace needs EDITOR there; a personal flow needs only a signed-in caller. */
export const canCreateFlow = canCreateInWorkspace('Creating flows');

/**
 * Who may call what. Reading one flow stays open: `flow(id)` answers null for flows the
 * caller may not see (contract), decided where the flow is loaded (`flow.access.ts`).
 */
export const flowRules = {
  Query: { flow: allow, flows: isSignedIn },
  Mutation: {
    createFlow: canCreateFlow,
    // The resolvers check the role themselves: they must see flows in the trash too.
    deleteFlow: isSignedIn,
    restoreFlow: isSignedIn,
    duplicateFlow: hasFlowRole('VIEWER', (args) => args['id']),
  },
  // Values of these types are only ever reached through a visible flow (or a share link).
  Flow: {
    '*': allow,
    collaborators: hasRoleOnParentFlow('VIEWER'),
    shareLinks: hasRoleOnParentFlow('ADMIN'),
    invitations: hasRoleOnParentFlow('ADMIN'),
  },
  FlowNode: allow,
  FlowEdge: allow,
  Position: allow,
  User: allow,
  Workspace: allow,
  FlowConnection: allow,
  FlowConnectionEdge: allow,
  PageInfo: allow,
};
