import { isValidObjectId } from 'mongoose';
import type { Identity } from '#internal/auth';
import { unauthenticated } from '#internal/errors';
import { hasRole, type WorkspaceRole } from '#internal/workspaces';
import type { FlowsContext } from '../../context.js';
import type { FlowDocument, FlowRecord } from '../../store/flow.model.js';

export function requireIdentity(context: FlowsContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

/**
 * The caller's role on a flow, the stronger of: their role in the flow's workspace (a
 * personal flow, without one, is its owner's as OWNER) and the role the flow was shared
 * with them as a collaborator. With `enough`, a workspace role that has it already
 * answers without looking the collaborator role up (one query less on every write and
 * every event a subscriber receives).
 */
export async function roleOnFlow(
  context: FlowsContext,
  flow: Pick<FlowRecord, 'ownerId' | 'workspaceId'> & { id?: unknown },
  enough: WorkspaceRole = 'OWNER',
): Promise<WorkspaceRole | null> {
  const { identity } = context;
  if (!identity) return null;
  const base = flow.workspaceId
    ? await context.memberships.roleIn(identity, flow.workspaceId)
    : flow.ownerId === identity.userId
      ? 'OWNER'
      : null;
  if (hasRole(base, enough) || typeof flow.id !== 'string') return base;
  const shared = await context.sharing.myRole.load(flow.id);
  if (!shared) return base;
  return hasRole(base, shared) ? base : shared;
}

/**
 * The flow if the caller may see it, else null — a flow the caller may not see is
 * indistinguishable from one that does not exist. The record is at most a second old
 * (`RecentFlows`), not cached for the request as the loader's are.
 */
export async function findVisibleFlow(context: FlowsContext, id: string): Promise<FlowDocument | null> {
  if (!context.identity || !isValidObjectId(id)) return null;
  const flow = await context.recentFlows.get(id);
  return flow && !flow.deletedAt && (await roleOnFlow(context, flow, 'VIEWER')) ? flow : null;
}

/** Like `findVisibleFlow`, through the request's batched loader: for rules on every flow of a page. */
export async function loadVisibleFlow(context: FlowsContext, id: string): Promise<FlowDocument | null> {
  if (!context.identity || !isValidObjectId(id)) return null;
  const flow = await context.flowById.load(id);
  return flow && !flow.deletedAt && (await roleOnFlow(context, flow, 'VIEWER')) ? flow : null;
}

/**
 * For long subscriptions: whether the caller may still see the flow, re-decided at most
 * every `recheckMs` (a role change applies within that plus the membership cache's 2 s).
 * Every event of every subscriber asks, so the answer is reused in between.
 */
export function stillVisible(context: FlowsContext, flowId: string, recheckMs = 1_000): () => Promise<boolean> {
  let decided: { at: number; visible: Promise<boolean> } | undefined;
  return () => {
    if (!decided || Date.now() - decided.at > recheckMs) {
      decided = { at: Date.now(), visible: findVisibleFlow(context, flowId).then((flow) => flow !== null) };
    }
    return decided.visible;
  };
}

/** The store filter for every flow the caller can see: their personal flows and their workspaces'. */
export async function visibleFlowsFilter(context: FlowsContext, identity: Identity): Promise<Record<string, unknown>> {
  const [memberships, shared] = await Promise.all([context.memberships.of(identity), context.sharing.sharedWithMe()]);
  return {
    $or: [
      { workspaceId: null, ownerId: identity.userId },
      { workspaceId: { $in: [...memberships.keys()] } },
      { _id: { $in: shared } },
    ],
  };
}
