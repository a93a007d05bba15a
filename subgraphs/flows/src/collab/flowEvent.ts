import type { AppliedOp } from '../domain/applyOps.js';
import type { LogEntry } from '../store/updateLog.js';
import { toBase64 } from './flowDoc.js';

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

/** The event a logged version is, as published and replayed. */
export const eventOf = (entry: LogEntry): FlowEventPayload => ({
  flowId: entry.flowId,
  version: entry.version,
  ops: JSON.parse(entry.ops) as AppliedOp[],
  clientId: entry.clientId,
  authorId: entry.authorId,
  update: toBase64(entry.update),
  ...(entry.rebase ? { resync: true } : {}),
});
