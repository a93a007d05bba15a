import * as Y from 'yjs';
import { AppError, badUserInput, conflict, ErrorCode } from '#internal/errors';
import type { Logger } from '#internal/logger';
import type { PubSub } from '#internal/pubsub';
import type { FlowContent } from '../domain/model.js';
import type { FlowModel } from '../store/flow.model.js';
import { planOps, type AppliedOp, type GraphChanges } from '../domain/applyOps.js';
import { FLOW_LIMITS } from '../domain/model.js';
import { flowChannel, type FlowEventPayload } from './flowEvent.js';
import { KeyedLock } from './keyedLock.js';
import type { FlowOp } from '../domain/ops.js';
import { EMPTY_UPDATE, nodesOf, edgesOf, readEdge, readNode, toBase64, touchedIds, writeChanges } from './flowDoc.js';
import { FlowView } from './flowView.js';
import { diffToOps, normalizePushed } from './merge.js';
import { isOfEpoch, rebuiltDoc, replay } from './rebase.js';
import type { LogEntry, UpdateLog } from '../store/updateLog.js';

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

/** A flow's document in memory, at `version`: every log entry up to it is applied. */
interface Entry {
  doc: Y.Doc;
  view: FlowView;
  version: number;
  /** When this instance last knew `version` was the log's newest (`performance.now()`). */
  confirmedAt: number;
  /** Size of the newest snapshot this instance took or loaded, and bytes logged since. */
  snapshotBytes: number;
  sinceSnapshot: number;
  /** The version of the last rebase this document includes (0: none). */
  epoch: number;
  /** Ids touched by transactions since last cleared (from `afterTransaction`). */
  touched: { nodes: Set<string>; edges: Set<string> };
}

/** A write ready to be logged: its update, its ops, and what it changes in the view. */
interface Prepared {
  update: Uint8Array;
  applied: AppliedOp[];
  changes: GraphChanges;
  /** A rebase: the document that replaces the entry's once this version is logged. */
  rebuilt?: Y.Doc;
}

/** A rebuilt document must be at most this fraction of the state it replaces. */
const REBASE_GAIN = 4;

/** The document is out of step with the log (compacted past it, or a version skipped). */
class Gap extends Error {}

/** Transaction origins, so listeners can tell ours from replayed ones. */
const FROM_LOG = 'log';
const FROM_SERVER = 'server';
const FROM_CLIENT = 'client';

const MAX_ATTEMPTS = 50;
const PAGE = 1_000;

/**
 * One Yjs document per flow, made durable by an append-only log.
 *
 * Every accepted write (a batch of ops, or a pushed Yjs update) is one version: its
 * update is inserted into `flow_updates` under `(flowId, version)`, which is unique, and
 * only then acknowledged, applied to the in-memory view and broadcast. A writer that
 * finds its version taken lost a race with another instance: it drops its document
 * (which holds the unlogged change), reloads from snapshot + log, and tries again. So
 * instances stay linearizable without transactions, and a restart loses nothing that
 * was acknowledged. Within an instance, writes and reads of a flow run one at a time.
 */
export class FlowCollab {
  private readonly cache = new Map<string, Entry>();
  private readonly lock = new KeyedLock();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly cacheSize: number;
  private readonly snapshotEvery: number;
  private readonly keepLog: number;
  readonly maxUpdateBytes: number;
  private readonly materializeDelayMs: number;
  private readonly confirmForMs: number;
  private readonly rebaseAboveBytes: number;

  constructor(
    private readonly log: UpdateLog,
    private readonly flows: FlowModel,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
    options: FlowCollabOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 500;
    this.snapshotEvery = options.snapshotEvery ?? 100;
    this.keepLog = options.keepLog ?? 1_000;
    this.maxUpdateBytes = options.maxUpdateBytes ?? 1024 * 1024;
    this.materializeDelayMs = options.materializeDelayMs ?? 200;
    this.confirmForMs = options.confirmForMs ?? 30_000;
    this.rebaseAboveBytes = options.rebaseAboveBytes ?? 128 * 1024;
  }

  /** The flow's content with every acknowledged write in it. */
  read(flowId: string): Promise<FlowContent> {
    return this.lock.run(flowId, async () => {
      const entry = await this.ready(flowId);
      return entry.view.content(entry.version);
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
      const entry = await this.ready(flowId);
      const resync = stateVector !== null && !isOfEpoch(stateVector, flowId, entry.epoch);
      const from = stateVector && !resync ? stateVector : undefined;
      return { update: Y.encodeStateAsUpdate(entry.doc, from), version: entry.version, resync };
    });
  }

  /**
   * Rebuilds the flow's document from its content, as a version of its own, when the
   * rebuilt one is much smaller (see `rebase.ts`); the version it is at either way. The
   * version is attributed to `authorId`: the writer whose edit made it due.
   */
  async rebase(flowId: string, authorId: string): Promise<number> {
    const result = await this.write(flowId, { clientId: null, authorId }, (entry) => {
      const current = Y.encodeStateAsUpdate(entry.doc).byteLength;
      const rebuilt = rebuiltDoc(flowId, entry.version + 1, entry.view.content(entry.version));
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
    return this.write(flowId, meta, (entry) => {
      const planned = planOps(entry.view, ops);
      const update = this.capture(entry.doc, () => writeChanges(entry.doc, planned, FROM_SERVER));
      return { update, applied: planned.applied, changes: planned };
    });
  }

  /**
   * Merges a client's Yjs update (offline edits, reconnection). Content that breaks the
   * flow's rules rejects the whole update; edges left without an end are deleted by the
   * server in the same version. An update that brings nothing new is not a new version.
   */
  async pushUpdate(flowId: string, update: Uint8Array, meta: WriteMeta): Promise<WriteResult> {
    if (update.byteLength > this.maxUpdateBytes) {
      throw badUserInput(`update is larger than ${this.maxUpdateBytes} bytes.`, 'update');
    }
    try {
      Y.decodeUpdate(update);
    } catch {
      throw badUserInput('update is not a Yjs update.', 'update');
    }
    return this.write(
      flowId,
      meta,
      (entry) => {
        const { doc } = entry;
        entry.touched.nodes.clear();
        entry.touched.edges.clear();
        const updates: Uint8Array[] = [];
        const listener = (bytes: Uint8Array): void => void updates.push(bytes);
        doc.on('update', listener);
        try {
          try {
            Y.applyUpdate(doc, update, FROM_CLIENT);
          } catch {
            throw badUserInput('update is not a valid Yjs update.', 'update');
          }
          if (doc.store.pendingStructs || doc.store.pendingDs) {
            if (entry.epoch > 0) {
              throw new AppError(
                ErrorCode.CONFLICT,
                `The flow's document was rebuilt at version ${entry.epoch}: call flowSync without a state vector, ` +
                  'replace your copy, and apply your changes to it again.',
                { reason: 'RESYNC', field: 'update' },
              );
            }
            throw badUserInput(
              'update builds on changes this flow does not have (another document?): call flowSync and merge first.',
              'update',
            );
          }
          if (doc.share.size > 2) throw badUserInput('update may only hold the "nodes" and "edges" maps.', 'update');
          if (updates.length === 0) return null;
          const normalized = normalizePushed(doc, entry.view, entry.touched);
          if (normalized.dangling.length > 0) {
            doc.transact(() => {
              for (const id of normalized.dangling) edgesOf(doc).delete(id);
            }, FROM_SERVER);
          }
          const changes = normalized.changes;
          return { update: Y.mergeUpdates(updates), applied: diffToOps(entry.view, changes), changes };
        } finally {
          doc.off('update', listener);
        }
      },
      true,
    );
  }

  /**
   * Logged events after `version`, oldest first, at most `limit`; `'compacted'` when the
   * log no longer reaches back that far (the client must `flowSync`).
   */
  async eventsAfter(flowId: string, version: number, limit = PAGE): Promise<FlowEventPayload[] | 'compacted'> {
    const entries = await this.log.after(flowId, version, limit);
    if (entries[0] && entries[0].version !== version + 1) return 'compacted';
    return entries.map(toPayload);
  }

  /** Drops a deleted flow's document from memory, and its pending refresh of the listing copy. */
  forget(flowId: string): void {
    clearTimeout(this.timers.get(flowId));
    this.timers.delete(flowId);
    this.cache.delete(flowId);
  }

  /** Stops background work (materialization timers). */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.cache.clear();
  }

  private write(
    flowId: string,
    meta: WriteMeta,
    prepare: (entry: Entry) => Prepared | null,
    dirtyOnError = false,
  ): Promise<WriteResult> {
    return this.lock.run(flowId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        // Optimistic: a recently confirmed document is written on without asking the log
        // first. If another instance took the next version, the insert says so and the
        // retry reloads; on a single instance that never happens, and each write saves a
        // query. Older than that, the next version may have been compacted away (another
        // instance wrote far ahead), where an insert would succeed and the write be lost.
        const cached = attempt === 0 ? this.confirmed(flowId) : undefined;
        const entry = cached ?? (await this.ready(flowId));
        let prepared: Prepared | null;
        try {
          prepared = prepare(entry);
        } catch (error) {
          // A rejected push may have left content in the document: start again from the log.
          if (dirtyOnError) this.evict(flowId, entry);
          // Refused against a copy that may be behind another instance: judge again when current.
          if (cached) continue;
          throw error;
        }
        if (!prepared) return { content: entry.view.content(entry.version), version: entry.version };
        const version = entry.version + 1;
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
          this.evict(flowId, entry);
          throw error;
        }
        if (!logged) {
          // Another instance wrote this version: our document holds an unlogged change.
          prepared.rebuilt?.destroy();
          this.evict(flowId, entry);
          continue;
        }
        if (prepared.rebuilt) this.replaceDoc(entry, prepared.rebuilt, version);
        entry.view.apply(prepared.changes);
        entry.version = version;
        entry.confirmedAt = performance.now();
        entry.sinceSnapshot += prepared.update.byteLength;
        entry.touched.nodes.clear();
        entry.touched.edges.clear();
        this.afterCommit(flowId, entry, meta.authorId, prepared.rebuilt !== undefined);
        this.pubsub.publish(flowChannel(flowId), toPayload(logEntry)).catch((error: unknown) => {
          // Subscribers fill the gap from the log on the next event.
          this.logger.warn({ err: error, flowId, version }, 'could not publish a flow event');
        });
        return { content: entry.view.content(version), version };
      }
      throw conflict('The flow is changing too fast; try again.');
    });
  }

  /** The update `change` makes to `doc` (one transaction). */
  private capture(doc: Y.Doc, change: () => void): Uint8Array {
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

  /** The cached document if this instance saw the log's end recently. */
  private confirmed(flowId: string): Entry | undefined {
    const entry = this.cache.get(flowId);
    return entry && performance.now() - entry.confirmedAt < this.confirmForMs ? entry : undefined;
  }

  /** The cached document, caught up with the log; loaded (or reloaded after a gap) when needed. */
  private async ready(flowId: string): Promise<Entry> {
    for (let attempt = 0; ; attempt += 1) {
      let entry = this.cache.get(flowId);
      if (entry) {
        this.cache.delete(flowId);
        this.cache.set(flowId, entry);
      } else {
        entry = await this.load(flowId);
        this.cache.set(flowId, entry);
        for (const oldest of this.cache.keys()) {
          if (this.cache.size <= this.cacheSize) break;
          this.cache.delete(oldest);
        }
      }
      try {
        await this.catchUp(flowId, entry);
        return entry;
      } catch (error) {
        this.evict(flowId, entry);
        if (!(error instanceof Gap) || attempt >= 2) throw error;
      }
    }
  }

  private async catchUp(flowId: string, entry: Entry): Promise<void> {
    // Recently current: its next version cannot have been compacted away, so one lookup by
    // id tells whether anything was written since (a range query reads the whole log on
    // the embedded engine).
    const now = performance.now();
    if (now - entry.confirmedAt < this.confirmForMs && !(await this.log.has(flowId, entry.version + 1))) {
      entry.confirmedAt = now;
      return;
    }
    for (;;) {
      const asked = performance.now();
      const entries = await this.log.after(flowId, entry.version, PAGE);
      entry.touched.nodes.clear();
      entry.touched.edges.clear();
      for (const logged of entries) {
        if (logged.version !== entry.version + 1)
          throw new Gap(`${flowId}: v${logged.version} after v${entry.version}`);
        if (logged.rebase) {
          // Every id the old or the new document has is read again.
          for (const id of nodesOf(entry.doc).keys()) entry.touched.nodes.add(id);
          for (const id of edgesOf(entry.doc).keys()) entry.touched.edges.add(id);
          this.replaceDoc(entry, replay(entry.doc, logged.update, true, FROM_LOG), logged.version);
          for (const id of nodesOf(entry.doc).keys()) entry.touched.nodes.add(id);
          for (const id of edgesOf(entry.doc).keys()) entry.touched.edges.add(id);
        } else {
          Y.applyUpdate(entry.doc, logged.update, FROM_LOG);
          entry.sinceSnapshot += logged.update.byteLength;
        }
        entry.version = logged.version;
      }
      this.refresh(entry, entry.touched.nodes, entry.touched.edges);
      if (entries.length < PAGE) {
        entry.confirmedAt = asked;
        return;
      }
    }
  }

  private async load(flowId: string): Promise<Entry> {
    const doc = new Y.Doc();
    const entry: Entry = {
      doc,
      view: new FlowView(),
      version: 0,
      confirmedAt: Number.NEGATIVE_INFINITY,
      snapshotBytes: 0,
      sinceSnapshot: 0,
      epoch: 0,
      touched: { nodes: new Set(), edges: new Set() },
    };
    this.track(entry);
    let snapshot = await this.log.latestSnapshot(flowId);
    if (!snapshot && (await this.seedFromLegacy(flowId))) snapshot = await this.log.latestSnapshot(flowId);
    if (snapshot) {
      Y.applyUpdate(doc, snapshot.state, FROM_LOG);
      entry.version = snapshot.version;
      entry.snapshotBytes = snapshot.state.byteLength;
      entry.epoch = snapshot.epoch ?? 0;
    }
    this.refresh(entry, nodesOf(doc).keys(), edgesOf(doc).keys());
    entry.touched.nodes.clear();
    entry.touched.edges.clear();
    return entry;
  }

  /**
   * A flow written before documents existed has its content only in the `flows`
   * collection: it becomes the first snapshot, at its version (once, whichever instance
   * gets there first).
   */
  private async seedFromLegacy(flowId: string): Promise<boolean> {
    const [first] = await this.log.after(flowId, 0, 1);
    if (first?.version === 1) return false;
    const legacy = await this.flows.findById(flowId, { version: 1, nodes: 1, edges: 1 }).lean();
    if (!legacy?.nodes || !legacy.edges || legacy.version === 0) return false;
    const doc = new Y.Doc();
    const changes: GraphChanges = {
      nodes: new Map(legacy.nodes.map((node) => [node.id, { ...node, size: node.size ?? null }])),
      edges: new Map(legacy.edges.map((edge) => [edge.id, { ...edge, condition: edge.condition ?? null }])),
    };
    writeChanges(doc, changes, FROM_SERVER);
    await this.log.saveSnapshot({ flowId, version: legacy.version, state: Y.encodeStateAsUpdate(doc), at: new Date() });
    return true;
  }

  /** Re-reads the given ids from the document into the view (content already validated when written). */
  private refresh(entry: Entry, nodeIds: Iterable<string>, edgeIds: Iterable<string>): void {
    for (const id of [...nodeIds]) {
      const read = readNode(entry.doc, id);
      entry.view.setNode(id, read && 'record' in read ? read.record : null);
    }
    for (const id of [...edgeIds]) {
      const read = readEdge(entry.doc, id);
      entry.view.setEdge(id, read && 'record' in read ? read.record : null);
    }
  }

  /** Keeps `entry.touched` told of the ids each transaction of its document changes. */
  private track(entry: Entry): void {
    const { doc } = entry;
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      const touched = touchedIds(doc, transaction);
      for (const id of touched.nodes) entry.touched.nodes.add(id);
      for (const id of touched.edges) entry.touched.edges.add(id);
    });
  }

  /** The entry's document is now `doc`, rebuilt at `version` (a rebase). */
  private replaceDoc(entry: Entry, doc: Y.Doc, version: number): void {
    if (entry.doc !== doc) entry.doc.destroy();
    entry.doc = doc;
    entry.epoch = version;
    entry.snapshotBytes = Y.encodeStateAsUpdate(doc).byteLength;
    entry.sinceSnapshot = 0;
    this.track(entry);
  }

  private evict(flowId: string, entry: Entry): void {
    if (this.cache.get(flowId) === entry) this.cache.delete(flowId);
    entry.doc.destroy();
  }

  /** Snapshot and compaction (see `snapshotEvery`), a rebase when due; the listing copy a moment later. */
  private afterCommit(flowId: string, entry: Entry, authorId: string, rebased: boolean): void {
    const { version, epoch } = entry;
    // A Yjs state keeps its deleted entries (~10 bytes an edit): a busy flow's reaches
    // hundreds of KB. Waiting for half its size in new updates keeps the cost of
    // snapshots in proportion to what is written, however large the state grows. A
    // rebase is snapshotted at once: loading and syncing start from the small document.
    const due = version % this.snapshotEvery === 0;
    if (rebased || (due && entry.sinceSnapshot * 2 >= entry.snapshotBytes)) {
      const state = Y.encodeStateAsUpdate(entry.doc);
      entry.snapshotBytes = state.byteLength;
      entry.sinceSnapshot = 0;
      void (async () => {
        await this.log.saveSnapshot({ flowId, version, state, at: new Date(), epoch });
        const settled = new Date(Date.now() - 2 * this.confirmForMs);
        await this.log.compact(flowId, version - this.keepLog, settled);
      })().catch((error: unknown) => this.logger.warn({ err: error, flowId, version }, 'snapshot failed'));
    }
    // The state is about the last snapshot plus what was logged since.
    if (!rebased && due && entry.snapshotBytes + entry.sinceSnapshot > this.rebaseAboveBytes) {
      void this.rebase(flowId, authorId).catch((error: unknown) =>
        this.logger.warn({ err: error, flowId, version }, 'could not rebuild the document'),
      );
    }
    if (this.timers.has(flowId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(flowId);
      void this.lock
        .run(flowId, () => this.materialize(flowId))
        .catch((error: unknown) => this.logger.warn({ err: error, flowId }, 'could not refresh the flows collection'));
    }, this.materializeDelayMs);
    timer.unref();
    this.timers.set(flowId, timer);
  }

  /**
   * Copies the version into the flow record and the content into its listing copy, for
   * listings (never moving either backwards). Content written into the record before
   * either existed is in the first snapshot by now.
   */
  private async materialize(flowId: string): Promise<void> {
    const entry = this.cache.get(flowId);
    if (!entry) return;
    const { version, nodes, edges } = entry.view.content(entry.version);
    await this.log.writeListing(flowId, version, JSON.stringify({ nodes, edges }));
    await this.flows.updateOne(
      { _id: flowId, version: { $lt: version } },
      { $set: { version }, $unset: { content: 1, nodes: 1, edges: 1 } },
    );
  }

  /** The listing copies of these flows' content (see `materialize`). */
  listingsOf(flowIds: readonly string[]): Promise<Map<string, { version: number; content: string }>> {
    return this.log.listingsOf(flowIds);
  }
}

const toPayload = (entry: LogEntry): FlowEventPayload => ({
  flowId: entry.flowId,
  version: entry.version,
  ops: JSON.parse(entry.ops) as AppliedOp[],
  clientId: entry.clientId,
  authorId: entry.authorId,
  update: toBase64(entry.update),
  ...(entry.rebase ? { resync: true } : {}),
});
