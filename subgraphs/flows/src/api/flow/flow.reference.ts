import type { FlowsContext } from '../../context.js';
import { findVisibleFlow } from './flow.access.js';
import { toFlow } from './flow.mapper.js';
import type { Flow } from './flow.type.js';

/** Other subgraphs reference flows by id; the caller's visibility still applies. */
export const flowReference = {
  __resolveReference: async (reference: { id: string }, context: FlowsContext): Promise<Flow | null> => {
    const flow = await findVisibleFlow(context, reference.id);
    return flow ? toFlow(flow, await context.collab.read(reference.id)) : null;
  },
};
