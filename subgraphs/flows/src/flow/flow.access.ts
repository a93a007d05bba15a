import { isValidObjectId } from 'mongoose';
import type { Identity } from '../../../../internal/auth/index.js';
import { unauthenticated } from '../../../../internal/errors/index.js';
import type { WorkspaceRole } from '../../../../internal/workspaces/index.js';
import type { FlowsContext } from '../context.js';
import type { FlowDocument, FlowRecord } from './flow.model.js';

export function requireIdentity(context: FlowsContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

/**
 * The caller's role on a flow: a workspace flow carries the caller's role in its
 * workspace; a personal flow (no workspace) is its owner's alone, as OWNER.
 */
export async function roleOnFlow(
  context: FlowsContext,
  flow: Pick<FlowRecord, 'ownerId' | 'workspaceId'>,
): Promise<WorkspaceRole | null> {
  const { identity } = context;
  if (!identity) return null;
  if (!flow.workspaceId) return flow.ownerId === identity.userId ? 'OWNER' : null;
  return context.memberships.roleIn(identity, flow.workspaceId);
}

/**
 * The flow if the caller may see it, else null — a flow the caller may not see is
 * indistinguishable from one that does not exist. Read fresh from the store.
 */
export async function findVisibleFlow(context: FlowsContext, id: string): Promise<FlowDocument | null> {
  if (!context.identity || !isValidObjectId(id)) return null;
  const flow = await context.flows.findById(id);
  return flow && (await roleOnFlow(context, flow)) ? flow : null;
}

/** The store filter for every flow the caller can see: their personal flows and their workspaces'. */
export async function visibleFlowsFilter(context: FlowsContext, identity: Identity): Promise<Record<string, unknown>> {
  const memberships = await context.memberships.of(identity);
  return {
    $or: [{ workspaceId: null, ownerId: identity.userId }, { workspaceId: { $in: [...memberships.keys()] } }],
  };
}
