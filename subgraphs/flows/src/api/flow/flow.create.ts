import { badUserInput } from '#internal/errors';
import type { FlowsContext } from '../../context.js';
import type { FlowOp } from '../../domain/ops.js';
import { toFlow } from './flow.mapper.js';
import type { Flow } from './flow.type.js';

export interface NewFlow {
  name: string;
  description?: string | null | undefined;
  workspaceId?: string | null | undefined;
}

/**
 * Creates a flow owned by the caller — empty, or filled with `ops` (imports, copies). The
 * role in the workspace is the shield rule's or the caller's to check. Nobody knows a new
 * flow yet, so its batches are seen only once all are in; if one fails, the flow goes.
 */
export async function createFlow(
  context: FlowsContext,
  userId: string,
  fields: NewFlow,
  ops: readonly FlowOp[] = [],
  clientId: string | null = null,
): Promise<Flow> {
  const name = fields.name.trim();
  const description = fields.description?.trim() || null;
  if (name.length === 0 || name.length > 200) throw badUserInput('The name must have 1 to 200 characters.', 'name');
  if (description && description.length > 2000) {
    throw badUserInput('The description must have at most 2000 characters.', 'description');
  }
  const doc = await context.flows.create({
    name,
    description,
    ownerId: userId,
    workspaceId: fields.workspaceId ?? null,
    version: 0,
  });
  if (ops.length === 0) return toFlow(doc);
  try {
    return toFlow(doc, await context.collab.applyInBatches(doc.id as string, ops, { clientId, authorId: userId }));
  } catch (error) {
    await context.flows.deleteOne({ _id: doc._id });
    context.recentFlows.forget(doc.id as string);
    throw error;
  }
}
