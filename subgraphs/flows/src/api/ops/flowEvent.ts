import { toFlowEdge, toFlowNode } from '../flow/flow.mapper.js';
import type { AppliedOp } from '../../domain/applyOps.js';
import type { FlowEvent } from './ops.type.js';

/** What travels on the pub/sub channel of a flow, and what the update log replays: plain JSON. */
export interface FlowEventPayload {
  flowId: string;
  version: number;
  ops: AppliedOp[];
  clientId: string | null;
  authorId: string;
  /** The Yjs update of this version, base64. */
  update: string;
  /** The document was rebuilt here: `update` is the whole new document (see `collab/rebase.ts`). */
  resync?: boolean;
}

export const flowChannel = (flowId: string): string => `flow:${flowId}`;

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
