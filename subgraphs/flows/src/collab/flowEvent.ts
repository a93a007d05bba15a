import type { AppliedOp } from '../domain/applyOps.js';

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
