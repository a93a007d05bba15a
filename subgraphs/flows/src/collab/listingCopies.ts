import type { Logger } from '#internal/logger';
import type { FlowModel } from '../store/flow.model.js';
import type { UpdateLog } from '../store/updateLog.js';
import type { KeyedLock } from '#internal/keyedLock';
import type { LiveDocs } from './liveDocs.js';

/**
 * The copies of flows' content that listings read, refreshed a moment after writes (one
 * refresh for a burst of them), under the flow's lock.
 */
export class ListingCopies {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly log: UpdateLog,
    private readonly flows: FlowModel,
    private readonly docs: LiveDocs,
    private readonly lock: KeyedLock,
    private readonly logger: Logger,
    private readonly delayMs: number,
  ) {}

  /** Refreshes the flow's copy after the delay, unless a refresh is already due. */
  schedule(flowId: string): void {
    if (this.timers.has(flowId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(flowId);
      void this.lock
        .run(flowId, () => this.materialize(flowId))
        .catch((error: unknown) => this.logger.warn({ err: error, flowId }, 'could not refresh the flows collection'));
    }, this.delayMs);
    timer.unref();
    this.timers.set(flowId, timer);
  }

  cancel(flowId: string): void {
    clearTimeout(this.timers.get(flowId));
    this.timers.delete(flowId);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The listing copies of these flows' content. */
  of(flowIds: readonly string[]): Promise<Map<string, { version: number; content: string }>> {
    return this.log.listingsOf(flowIds);
  }

  /**
   * Copies the version into the flow record and the content into its listing copy, for
   * listings (never moving either backwards). Content written into the record before
   * either existed is in the first snapshot by now.
   */
  private async materialize(flowId: string): Promise<void> {
    const live = this.docs.cached(flowId);
    if (!live) return;
    const { version, nodes, edges } = live.view.content(live.version);
    await this.log.writeListing(flowId, version, JSON.stringify({ nodes, edges }));
    await this.flows.updateOne(
      { _id: flowId, version: { $lt: version } },
      { $set: { version }, $unset: { content: 1, nodes: 1, edges: 1 } },
    );
  }
}
