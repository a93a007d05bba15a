import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { FlowContent } from '../domain/model.js';
import type { GraphChanges } from '../domain/applyOps.js';
import { writeChanges } from './flowDoc.js';

/**
 * A Yjs document keeps every deleted entry (~10 bytes an edit), so a busy flow's state
 * grows without end, and a new client's first `flowSync` pays for all of it. When it has
 * grown well past what its content needs, the document is rebuilt from the content: a
 * version of its own (a log entry marked `rebase`, whose update is the whole new
 * document), after which the old history is gone. Content is unchanged, so clients that
 * follow ops see nothing; clients that keep the document must drop their copy and take
 * the new one (`resync` on the event, on `flowSync`, and `RESYNC` on a push made on the
 * old copy).
 *
 * The new document's entries are all made by one client id, derived from the flow and
 * the version of the rebase: every instance computes it, and a state vector without it
 * describes a copy from before the rebase.
 */
export const rebaseClientId = (flowId: string, version: number): number =>
  createHash('sha256').update(`${flowId}:${version}`).digest().readUInt32BE(0) >>> 1;

/** The document rebuilt from `content`, made at `version` of `flowId`. */
export function rebuiltDoc(flowId: string, version: number, content: FlowContent): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = rebaseClientId(flowId, version);
  const changes: GraphChanges = {
    nodes: new Map(content.nodes.map((node) => [node.id, node])),
    edges: new Map(content.edges.map((edge) => [edge.id, edge])),
  };
  writeChanges(doc, changes, 'rebase');
  return doc;
}

/** Whether a copy with `stateVector` was made on the document as rebuilt at `epoch` (or later). */
export function isOfEpoch(stateVector: Uint8Array, flowId: string, epoch: number): boolean {
  return epoch === 0 || Y.decodeStateVector(stateVector).has(rebaseClientId(flowId, epoch));
}

/** Replays one logged update on `doc`: a rebase replaces the document (and `doc` is destroyed). */
export function replay(doc: Y.Doc, update: Uint8Array, rebase: boolean | undefined, origin?: unknown): Y.Doc {
  if (!rebase) {
    Y.applyUpdate(doc, update, origin);
    return doc;
  }
  doc.destroy();
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, update, origin);
  return fresh;
}
