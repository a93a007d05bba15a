import * as Y from 'yjs';
import { badUserInput, conflict } from '#internal/errors';
import type { Logger } from '#internal/logger';
import type { PubSub } from '#internal/pubsub';
import { planOps } from '../domain/applyOps.js';
import { FLOW_LIMITS, type FlowContent } from '../domain/model.js';
import type { FlowOp } from '../domain/ops.js';
import type { FlowModel } from '../store/flow.model.js';
import type { LogEntry, UpdateLog } from '../store/updateLog.js';
import { EMPTY_UPDATE, writeChanges } from './flowDoc.js';
import { eventOf, flowChannel, type FlowEventPayload } from './flowEvent.js';
import { KeyedLock } from '#internal/keyedLock';
import { ListingCopies } from './listingCopies.js';
import { FROM_SERVER, type LiveDoc, type PreparedWrite } from './liveDoc.js';
import { LiveDocs, LOG_PAGE } from './liveDocs.js';
import { checkPushedUpdate, preparePushedUpdate } from './pushedUpdate.js';
import { isOfEpoch, rebuiltDoc } from './rebase.js';
import { Snapshots } from './snapshots.js';

export interface FlowCollabOptions {
  /** Flow documents kept in memory, least recently used evicted first. @default 500 */
  cacheSize?: number;
  /**
   * A snapshot of the whole document at most every this many versions, and only once the
   * updates logged since the last one add up to half its size. @default 100
   */
  snapshotEvery?: number;
  /** Log entries kept behind the newest snapshot, so clients can resume by version. @default 1000 */
  keepLog?: number;
  /** Largest update `pushUpdate` accepts, in bytes. @default 1048576 */
  maxUpdateBytes?: number;
  /** Delay before the `flows` collection's copy of the content is refreshed. @default 200 */
  materializeDelayMs?: number;
  /**
   * A document whose state passes this many bytes is rebuilt from its content (see
   * `rebase.ts`), if the rebuilt one is at most a quarter of its size. @default 131072
   */
  rebaseAboveBytes?: number;
  /**
   * How long a cached document counts as current after this instance last saw the log's
   * end (its own write, or a catch-up); older, the log is asked before a write. The log
   * is compacted only past what is twice this old, so a write can never take a version
   * that was compacted away. Assumes instances' clocks agree within half of it. @default 30000
   */
  confirmForMs?: number;
}

export interface WriteMeta {
  clientId: string | null;
  authorId: string;
}

export interface WriteResult {
  content: FlowContent;
  version: number;
}

/** A rebuilt document must be at most this fraction of the state it replaces. */
const REBASE_GAIN = 4;

const MAX_ATTEMPTS = 50;

/**
 * One Yjs document per flow, made durable by an append-only log: the write path.
 *
 * Every accepted write (a batch of ops, or a pushed Yjs update) is one version: its
 * update is inserted into `flow_updates` under `(flowId, version)`, which is unique, and
 * only then acknowledged, applied to the in-memory view and broadcast. A writer that
 * finds its version taken lost a race with another instance: it drops its document
 * (which holds the unlogged change), reloads from snapshot + log, and tries again. So
 * instances stay linearizable without transactions, and a restart loses nothing that
 * was acknowledged. Within an instance, writes and reads of a flow run one at a time.
 *
 * The documents themselves are kept by `LiveDocs`; `Snapshots` and `ListingCopies` do
 * what follows a write in the background.
 */
export class FlowCollab {
  private readonly lock = new KeyedLock();
  private readonly docs: LiveDocs;
  private readonly snapshots: Snapshots;
  private readonly listings: ListingCopies;
  readonly maxUpdateBytes: number;

  constructor(
    private readonly log: UpdateLog,
    flows: FlowModel,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
    options: FlowCollabOptions = {},
  ) {
    const confirmForMs = options.confirmForMs ?? 30_000;
    this.maxUpdateBytes = options.maxUpdateBytes ?? 1024 * 1024;
    this.docs = new LiveDocs(log, flows, options.cacheSize ?? 500, confirmForMs);
    this.snapshots = new Snapshots(log, logger, {
      snapshotEvery: options.snapshotEvery ?? 100,
      keepLog: options.keepLog ?? 1_000,
      rebaseAboveBytes: options.rebaseAboveBytes ?? 128 * 1024,
      confirmForMs,
    });
    this.listings = new ListingCopies(log, flows, this.docs, this.lock, logger, options.materializeDelayMs ?? 200);
  }

  /** The flow's content with every acknowledged write in it. */
  read(flowId: string): Promise<FlowContent> {
    return this.lock.run(flowId, async () => {
      const live = await this.docs.ready(flowId);
      return live.view.content(live.version);
    });
  }

  /**
   * What a client holding `stateVector` (null: nothing) misses, and the version it brings it
   * to. A copy from before the document was rebuilt (`resync`) gets the whole new document,
   * to replace its own with.
   */
  async sync(
    flowId: string,
    stateVector: Uint8Array | null,
  ): Promise<{ update: Uint8Array; version: number; resync: boolean }> {
    if (stateVector) {
      try {
        Y.decodeStateVector(stateVector);
      } catch {
        throw badUserInput('stateVector is not a Yjs state vector.', 'stateVector');
      }
    }
    return this.lock.run(flowId, async () => {
      const live = await this.docs.ready(flowId);
      const resync = stateVector !== null && !isOfEpoch(stateVector, flowId, live.epoch);
      const from = stateVector && !resync ? stateVector : undefined;
      return { update: Y.encodeStateAsUpdate(live.doc, from), version: live.version, resync };
    });
  }

  /**
   * Rebuilds the flow's document from its content, as a version of its own, when the
   * rebuilt one is much smaller (see `rebase.ts`); the version it is at either way. The
   * version is attributed to `authorId`: the writer whose edit made it due.
   */
  async rebase(flowId: string, authorId: string): Promise<number> {
    const result = await this.write(flowId, { clientId: null, authorId }, (live) => {
      const current = Y.encodeStateAsUpdate(live.doc).byteLength;
      const rebuilt = rebuiltDoc(flowId, live.version + 1, live.view.content(live.version));
      const update = Y.encodeStateAsUpdate(rebuilt);
      if (update.byteLength * REBASE_GAIN > current) {
        rebuilt.destroy();
        return null;
      }
      return { update, applied: [], changes: { nodes: new Map(), edges: new Map() }, rebuilt };
    });
    return result.version;
  }

  /**
   * Runs `change` to the flow's record while no write of this flow runs here. FerretDB
   * applies an update by rewriting the whole document, so two updates of one flow at once
   * can lose one of them (e.g. a trash flag under the listing copy's refresh).
   */
  exclusive<T>(flowId: string, change: () => Promise<T>): Promise<T> {
    return this.lock.run(flowId, change);
  }

  /**
   * More ops than one call takes (imports, copies, layouts, restores), as consecutive
   * versions of at most `FLOW_LIMITS.opsPerCall` each; the caller orders them so that every
   * batch is valid on its own. The content after the last one.
   */
  async applyInBatches(flowId: string, ops: readonly FlowOp[], meta: WriteMeta): Promise<FlowContent> {
    let content = ops.length === 0 ? await this.read(flowId) : undefined;
    for (let i = 0; i < ops.length; i += FLOW_LIMITS.opsPerCall) {
      content = (await this.applyOps(flowId, ops.slice(i, i + FLOW_LIMITS.opsPerCall), meta)).content;
    }
    return content as FlowContent;
  }

  /** Validates `ops` against the current flow and commits them as one version (server-ordered). */
  applyOps(flowId: string, ops: readonly FlowOp[], meta: WriteMeta): Promise<WriteResult> {
    return this.write(flowId, meta, (live) => {
      const planned = planOps(live.view, ops);
      const update = captureUpdate(live.doc, () => writeChanges(live.doc, planned, FROM_SERVER));
      return { update, applied: planned.applied, changes: planned };
    });
  }

  /**
   * Merges a client's Yjs update (offline edits, reconnection). Content that breaks the
   * flow's rules rejects the whole update; edges left without an end are deleted by the
   * server in the same version. An update that brings nothing new is not a new version.
   */
  async pushUpdate(flowId: string, update: Uint8Array, meta: WriteMeta): Promise<WriteResult> {
    checkPushedUpdate(update, this.maxUpdateBytes);
    return this.write(flowId, meta, (live) => preparePushedUpdate(live, update), true);
  }

  /**
   * Logged events after `version`, oldest first, at most `limit`; `'compacted'` when the
   * log no longer reaches back that far (the client must `flowSync`).
   */
  async eventsAfter(flowId: string, version: number, limit = LOG_PAGE): Promise<FlowEventPayload[] | 'compacted'> {
    const entries = await this.log.after(flowId, version, limit);
    if (entries[0] && entries[0].version !== version + 1) return 'compacted';
    return entries.map(eventOf);
  }

  /** The listing copies of these flows' content (see `ListingCopies`). */
  listingsOf(flowIds: readonly string[]): Promise<Map<string, { version: number; content: string }>> {
    return this.listings.of(flowIds);
  }

  /** Drops a deleted flow's document from memory, and its pending refresh of the listing copy. */
  forget(flowId: string): void {
    this.listings.cancel(flowId);
    this.docs.forget(flowId);
  }

  /** Stops background work (listing refreshes). */
  dispose(): void {
    this.listings.dispose();
    this.docs.clear();
  }

  private write(
    flowId: string,
    meta: WriteMeta,
    prepare: (live: LiveDoc) => PreparedWrite | null,
    dirtyOnError = false,
  ): Promise<WriteResult> {
    return this.lock.run(flowId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        // Optimistic: a recently confirmed document is written on without asking the log
        // first. If another instance took the next version, the insert says so and the
        // retry reloads; on a single instance that never happens, and each write saves a
        // query. Older than that, the next version may have been compacted away (another
        // instance wrote far ahead), where an insert would succeed and the write be lost.
        const cached = attempt === 0 ? this.docs.confirmed(flowId) : undefined;
        const live = cached ?? (await this.docs.ready(flowId));
        let prepared: PreparedWrite | null;
        try {
          prepared = prepare(live);
        } catch (error) {
          // A rejected push may have left content in the document: start again from the log.
          if (dirtyOnError) this.docs.evict(flowId, live);
          // Refused against a copy that may be behind another instance: judge again when current.
          if (cached) continue;
          throw error;
        }
        if (!prepared) return { content: live.view.content(live.version), version: live.version };
        const version = live.version + 1;
        const logEntry: LogEntry = {
          flowId,
          version,
          update: prepared.update,
          ops: JSON.stringify(prepared.applied),
          clientId: meta.clientId,
          authorId: meta.authorId,
          at: new Date(),
          ...(prepared.rebuilt ? { rebase: true } : {}),
        };
        let logged: boolean;
        try {
          logged = await this.log.append(logEntry);
        } catch (error) {
          this.docs.evict(flowId, live);
          throw error;
        }
        if (!logged) {
          // Another instance wrote this version: our document holds an unlogged change.
          prepared.rebuilt?.destroy();
          this.docs.evict(flowId, live);
          continue;
        }
        live.committed(prepared, version);
        this.afterCommit(flowId, live, meta.authorId, prepared.rebuilt !== undefined);
        this.pubsub.publish(flowChannel(flowId), eventOf(logEntry)).catch((error: unknown) => {
          // Subscribers fill the gap from the log on the next event.
          this.logger.warn({ err: error, flowId, version }, 'could not publish a flow event');
        });
        return { content: live.view.content(version), version };
      }
      throw conflict('The flow is changing too fast; try again.');
    });
  }

  /** Snapshot and compaction when due, a rebase when due; the listing copy a moment later. */
  private afterCommit(flowId: string, live: LiveDoc, authorId: string, rebased: boolean): void {
    const { version } = live;
    if (this.snapshots.afterCommit(flowId, live, rebased)) {
      void this.rebase(flowId, authorId).catch((error: unknown) =>
        this.logger.warn({ err: error, flowId, version }, 'could not rebuild the document'),
      );
    }
    this.listings.schedule(flowId);
  }
}

/** The update `change` makes to `doc` (one transaction). */
function captureUpdate(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listener = (bytes: Uint8Array): void => void updates.push(bytes);
  doc.on('update', listener);
  try {
    change();
  } finally {
    doc.off('update', listener);
  }
  return updates.length === 0
    ? EMPTY_UPDATE
    : updates.length === 1
      ? (updates[0] as Uint8Array)
      : Y.mergeUpdates(updates);
}
