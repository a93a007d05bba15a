import { toFlowEdge, toFlowNode } from '../flow/flow.mapper.js';
import type { FlowEventPayload } from '../../collab/flowEvent.js';
import type { FlowEvent } from './ops.type.js';

/** A flow event as the live document published it, for GraphQL. */
export const toFlowEvent = (payload: FlowEventPayload): FlowEvent => ({
  flowId: payload.flowId,
  version: payload.version,
  clientId: payload.clientId,
  author: { id: payload.authorId },
  update: payload.update,
  resync: payload.resync === true,
  ops: payload.ops.map((op) => ({
    kind: op.kind,
    nodeId: op.nodeId,
    edgeId: op.edgeId,
    node: op.node ? toFlowNode(op.node) : null,
    edge: op.edge ? toFlowEdge(op.edge) : null,
  })),
});
