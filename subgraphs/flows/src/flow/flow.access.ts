import { isValidObjectId } from 'mongoose';
import type { Identity } from '../../../../internal/auth/index.js';
import { unauthenticated } from '../../../../internal/errors/index.js';
import type { FlowsContext } from '../context.js';
import type { FlowDocument } from './flow.model.js';

export function requireIdentity(context: FlowsContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

/**
 * The flow if the caller may see it, else null — a flow the caller may not see is
 * indistinguishable from one that does not exist. Owners only, until workspaces land.
 */
export async function findVisibleFlow(context: FlowsContext, id: string): Promise<FlowDocument | null> {
  if (!context.identity || !isValidObjectId(id)) return null;
  return context.flows.findOne({ _id: id, ownerId: context.identity.userId });
}
