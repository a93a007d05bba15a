import type { FlowModel } from '../store/flow.model.js';
import type { UpdateLog } from '../store/updateLog.js';
import { seedFromLegacy } from './legacySeed.js';
import { Gap, LiveDoc } from './liveDoc.js';

/** Log entries read at a time when catching up. */
export const LOG_PAGE = 1_000;

/**
 * The flows' live documents this instance keeps, least recently used evicted first, each
 * caught up with the update log before it is used. Callers hold the flow's lock.
 */
export class LiveDocs {
  private readonly cache = new Map<string, LiveDoc>();

  constructor(
    private readonly log: UpdateLog,
    private readonly flows: FlowModel,
    private readonly cacheSize: number,
    /** How long a document counts as current after this instance last saw the log's end. */
    private readonly confirmForMs: number,
  ) {}

  /** The cached document, if any, without asking the log. */
  cached(flowId: string): LiveDoc | undefined {
    return this.cache.get(flowId);
  }

  /** The cached document if this instance saw the log's end recently. */
  confirmed(flowId: string): LiveDoc | undefined {
    const live = this.cache.get(flowId);
    return live && performance.now() - live.confirmedAt < this.confirmForMs ? live : undefined;
  }

  /** The cached document, caught up with the log; loaded (or reloaded after a gap) when needed. */
  async ready(flowId: string): Promise<LiveDoc> {
    for (let attempt = 0; ; attempt += 1) {
      let live = this.cache.get(flowId);
      if (live) {
        this.cache.delete(flowId);
        this.cache.set(flowId, live);
      } else {
        live = await this.load(flowId);
        this.cache.set(flowId, live);
        for (const oldest of this.cache.keys()) {
          if (this.cache.size <= this.cacheSize) break;
          this.cache.delete(oldest);
        }
      }
      try {
        await this.catchUp(flowId, live);
        return live;
      } catch (error) {
        this.evict(flowId, live);
        if (!(error instanceof Gap) || attempt >= 2) throw error;
      }
    }
  }

  /** Drops a document that may hold what the log does not: the next use reloads it. */
  evict(flowId: string, live: LiveDoc): void {
    if (this.cache.get(flowId) === live) this.cache.delete(flowId);
    live.destroy();
  }

  forget(flowId: string): void {
    this.cache.delete(flowId);
  }

  clear(): void {
    this.cache.clear();
  }

  private async catchUp(flowId: string, live: LiveDoc): Promise<void> {
    // Recently current: its next version cannot have been compacted away, so one lookup by
    // id tells whether anything was written since (a range query reads the whole log on
    // the embedded engine).
    const now = performance.now();
    if (now - live.confirmedAt < this.confirmForMs && !(await this.log.has(flowId, live.version + 1))) {
      live.confirmedAt = now;
      return;
    }
    for (;;) {
      const asked = performance.now();
      const entries = await this.log.after(flowId, live.version, LOG_PAGE);
      live.applyLogged(flowId, entries);
      if (entries.length < LOG_PAGE) {
        live.confirmedAt = asked;
        return;
      }
    }
  }

  private async load(flowId: string): Promise<LiveDoc> {
    let snapshot = await this.log.latestSnapshot(flowId);
    if (!snapshot && (await seedFromLegacy(this.log, this.flows, flowId))) {
      snapshot = await this.log.latestSnapshot(flowId);
    }
    return LiveDoc.from(snapshot);
  }
}
