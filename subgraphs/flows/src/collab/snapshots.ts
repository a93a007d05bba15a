import * as Y from 'yjs';
import type { Logger } from '#internal/logger';
import type { UpdateLog } from '../store/updateLog.js';
import type { LiveDoc } from './liveDoc.js';

export interface SnapshotPolicy {
  /** A snapshot at most every this many versions, once the updates since the last add up to half its size. */
  snapshotEvery: number;
  /** Log entries kept behind the newest snapshot, so clients can resume by version. */
  keepLog: number;
  /** A document whose state passes this many bytes is due a rebase. */
  rebaseAboveBytes: number;
  /** Entries younger than twice this are never compacted (see `FlowCollabOptions.confirmForMs`). */
  confirmForMs: number;
}

/** Snapshots of live documents and compaction of the log behind them. */
export class Snapshots {
  constructor(
    private readonly log: UpdateLog,
    private readonly logger: Logger,
    private readonly policy: SnapshotPolicy,
  ) {}

  /**
   * After `live` took a version: a snapshot (and compaction behind it) when due, in the
   * background. True when the document has grown enough to be rebuilt (`rebased`: it just was).
   */
  afterCommit(flowId: string, live: LiveDoc, rebased: boolean): boolean {
    const { version, epoch } = live;
    const { snapshotEvery, keepLog, rebaseAboveBytes, confirmForMs } = this.policy;
    // A Yjs state keeps its deleted entries (~10 bytes an edit): a busy flow's reaches
    // hundreds of KB. Waiting for half its size in new updates keeps the cost of
    // snapshots in proportion to what is written, however large the state grows. A
    // rebase is snapshotted at once: loading and syncing start from the small document.
    const due = version % snapshotEvery === 0;
    if (rebased || (due && live.sinceSnapshot * 2 >= live.snapshotBytes)) {
      const state = Y.encodeStateAsUpdate(live.doc);
      live.snapshotBytes = state.byteLength;
      live.sinceSnapshot = 0;
      void (async () => {
        await this.log.saveSnapshot({ flowId, version, state, at: new Date(), epoch });
        const settled = new Date(Date.now() - 2 * confirmForMs);
        await this.log.compact(flowId, version - keepLog, settled);
      })().catch((error: unknown) => this.logger.warn({ err: error, flowId, version }, 'snapshot failed'));
    }
    // The state is about the last snapshot plus what was logged since.
    return !rebased && due && live.snapshotBytes + live.sinceSnapshot > rebaseAboveBytes;
  }
}
