import * as Y from 'yjs';
import type { AppliedOp, GraphChanges } from '../domain/applyOps.js';
import type { LogEntry, Snapshot } from '../store/updateLog.js';
import { edgesOf, nodesOf, readEdge, readNode, touchedIds } from './flowDoc.js';
import { FlowView } from './flowView.js';
import { replay } from './rebase.js';

/** Transaction origins, so listeners can tell ours from replayed ones. */
export const FROM_LOG = 'log';
export const FROM_SERVER = 'server';
export const FROM_CLIENT = 'client';

/** A write ready to be logged: its update, its ops, and what it changes in the view. */
export interface PreparedWrite {
  update: Uint8Array;
  applied: AppliedOp[];
  changes: GraphChanges;
  /** A rebase: the document that replaces the live one once this version is logged. */
  rebuilt?: Y.Doc;
}

/** The document is out of step with the log (compacted past it, or a version skipped). */
export class Gap extends Error {}

/**
 * A flow's Yjs document in memory and the view of its content, at `version`: every log
 * entry up to it is applied. It keeps track of the ids each transaction touches, so the
 * view re-reads only those.
 */
export class LiveDoc {
  doc = new Y.Doc();
  readonly view = new FlowView();
  version = 0;
  /** When this instance last knew `version` was the log's newest (`performance.now()`). */
  confirmedAt = Number.NEGATIVE_INFINITY;
  /** Size of the newest snapshot this instance took or loaded, and bytes logged since. */
  snapshotBytes = 0;
  sinceSnapshot = 0;
  /** The version of the last rebase this document includes (0: none). */
  epoch = 0;
  /** Ids touched by transactions since last cleared (from `afterTransaction`). */
  readonly touched = { nodes: new Set<string>(), edges: new Set<string>() };

  constructor() {
    this.track();
  }

  /** A document from `snapshot` (null: an empty flow). */
  static from(snapshot: Snapshot | null): LiveDoc {
    const live = new LiveDoc();
    if (snapshot) {
      Y.applyUpdate(live.doc, snapshot.state, FROM_LOG);
      live.version = snapshot.version;
      live.snapshotBytes = snapshot.state.byteLength;
      live.epoch = snapshot.epoch ?? 0;
    }
    live.refresh(nodesOf(live.doc).keys(), edgesOf(live.doc).keys());
    live.clearTouched();
    return live;
  }

  /** Applies logged entries that follow `version`, in order, and re-reads what they touched. */
  applyLogged(flowId: string, entries: readonly LogEntry[]): void {
    this.clearTouched();
    for (const logged of entries) {
      if (logged.version !== this.version + 1) throw new Gap(`${flowId}: v${logged.version} after v${this.version}`);
      if (logged.rebase) {
        // Every id the old or the new document has is read again.
        this.touchAll();
        this.replaceDoc(replay(this.doc, logged.update, true, FROM_LOG), logged.version);
        this.touchAll();
      } else {
        Y.applyUpdate(this.doc, logged.update, FROM_LOG);
        this.sinceSnapshot += logged.update.byteLength;
      }
      this.version = logged.version;
    }
    this.refresh(this.touched.nodes, this.touched.edges);
  }

  /** `prepared` was logged as `version`: the view and the counters follow. */
  committed(prepared: PreparedWrite, version: number): void {
    if (prepared.rebuilt) this.replaceDoc(prepared.rebuilt, version);
    this.view.apply(prepared.changes);
    this.version = version;
    this.confirmedAt = performance.now();
    this.sinceSnapshot += prepared.update.byteLength;
    this.clearTouched();
  }

  clearTouched(): void {
    this.touched.nodes.clear();
    this.touched.edges.clear();
  }

  destroy(): void {
    this.doc.destroy();
  }

  /** Re-reads the given ids from the document into the view (content already validated when written). */
  private refresh(nodeIds: Iterable<string>, edgeIds: Iterable<string>): void {
    for (const id of [...nodeIds]) {
      const read = readNode(this.doc, id);
      this.view.setNode(id, read && 'record' in read ? read.record : null);
    }
    for (const id of [...edgeIds]) {
      const read = readEdge(this.doc, id);
      this.view.setEdge(id, read && 'record' in read ? read.record : null);
    }
  }

  private touchAll(): void {
    for (const id of nodesOf(this.doc).keys()) this.touched.nodes.add(id);
    for (const id of edgesOf(this.doc).keys()) this.touched.edges.add(id);
  }

  /** The document is now `doc`, rebuilt at `version` (a rebase). */
  private replaceDoc(doc: Y.Doc, version: number): void {
    if (this.doc !== doc) this.doc.destroy();
    this.doc = doc;
    this.epoch = version;
    this.snapshotBytes = Y.encodeStateAsUpdate(doc).byteLength;
    this.sinceSnapshot = 0;
    this.track();
  }

  /** Keeps `touched` told of the ids each transaction of the document changes. */
  private track(): void {
    const doc = this.doc;
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      const touched = touchedIds(doc, transaction);
      for (const id of touched.nodes) this.touched.nodes.add(id);
      for (const id of touched.edges) this.touched.edges.add(id);
    });
  }
}
