import { LRUCache } from 'lru-cache';
import type { Connection, mongo } from 'mongoose';
import { isDuplicateKey } from '#internal/db';

/**
 * One accepted write of a flow: the Yjs update it made and the ops it broadcast. The
 * unique index on `(flowId, version)` is what orders writers: whoever inserts a version
 * first owns it, on any instance (FerretDB has no transactions and no atomic
 * compare-and-set, but it has unique indexes).
 */
export interface LogEntry {
  flowId: string;
  version: number;
  update: Uint8Array;
  /** The applied ops (`AppliedOp[]`) as JSON. */
  ops: string;
  clientId: string | null;
  authorId: string;
  at: Date;
  /** The document was rebuilt from its content here: `update` is the whole new document (see `rebase.ts`). */
  rebase?: boolean;
}

/** The whole document at one version, so loading need not replay the log from the start. */
export interface Snapshot {
  flowId: string;
  version: number;
  state: Uint8Array;
  at: Date;
  /** The version of the last rebase the state includes (0: none). */
  epoch?: number;
}

interface StoredEntry extends Omit<LogEntry, 'update'> {
  /** `entryId(flowId, version)`; an ObjectId on entries written before ids were keyed. */
  _id: string | mongo.ObjectId;
  update: mongo.Binary;
}
/**
 * A snapshot's head: its version, time and number of parts. A large flow's document can
 * outgrow a store document (16 MB in MongoDB), so its state is cut into parts, stored
 * apart by `_id` (`partId`): the heads stay small, and finding the right one does not read
 * states (the embedded engine reads every document of a collection for such a query, and a
 * busy flow's state is hundreds of KB). A head is written once all its parts are in.
 *
 * Older snapshots carry their state in the head: one document (no `part`), or one document
 * per part (`part`, `parts`, `state`), the first of which is the head.
 */
interface StoredSnapshot extends Omit<Snapshot, 'state'> {
  part?: number;
  parts?: number;
  state?: mongo.Binary;
}

interface StoredPart {
  _id: string;
  state: mongo.Binary;
}

/**
 * A copy of a flow's content (`{ nodes, edges }` as JSON) for listings, refreshed shortly
 * after writes. Kept apart from the flow record, keyed by the flow's id, so that a page of
 * flows never reads content it does not show.
 */
interface StoredListing {
  _id: string;
  version: number;
  content: string;
}

/** The index of the time snapshots were one document each: parts need one with `part`. */
const WHOLE_SNAPSHOT_INDEX = 'flowId_1_version_1';

const bytes = (binary: mongo.Binary): Uint8Array => new Uint8Array(binary.buffer.subarray(0, binary.position));

/**
 * A log entry's `_id`. Keyed by version so that single entries are found by `_id`, which
 * the embedded engine (FerretDB on SQLite) looks up directly; any other filter reads and
 * decodes every entry of every flow.
 */
export const entryId = (flowId: string, version: number): string => `${flowId}:${version}`;

const partId = (flowId: string, version: number, part: number): string => `${flowId}:${version}:${part}`;

/** Every this many compactions of a flow, one also removes by range what removals by id miss. */
const SWEEP_EVERY = 10;

export class UpdateLog {
  private readonly entries: mongo.Collection<StoredEntry>;
  private readonly snapshots: mongo.Collection<StoredSnapshot>;
  private readonly parts: mongo.Collection<StoredPart>;
  private readonly listings: mongo.Collection<StoredListing>;
  /** Per flow: the version this instance compacted the log up to, and how many times. */
  private readonly compacted = new LRUCache<string, { through: number; times: number }>({ max: 10_000 });

  constructor(
    db: Connection,
    /** Largest part of a snapshot, in bytes. @default 4 MiB */
    private readonly snapshotPartBytes = 4 * 1024 * 1024,
  ) {
    if (!db.db) throw new Error('the flows database is not connected');
    this.entries = db.db.collection<StoredEntry>('flow_updates');
    this.snapshots = db.db.collection<StoredSnapshot>('flow_snapshots');
    this.parts = db.db.collection<StoredPart>('flow_snapshot_parts');
    this.listings = db.db.collection<StoredListing>('flow_listing_contents');
  }

  async init(): Promise<void> {
    await this.entries.createIndex({ flowId: 1, version: 1 }, { unique: true });
    const indexes = await this.snapshots
      .listIndexes()
      .toArray()
      .catch(() => []);
    if (indexes.some((index) => index.name === WHOLE_SNAPSHOT_INDEX && index['unique'])) {
      // Another instance starting at the same moment may have dropped it first.
      await this.snapshots.dropIndex(WHOLE_SNAPSHOT_INDEX).catch((error: unknown) => {
        if ((error as { codeName?: string }).codeName !== 'IndexNotFound') throw error;
      });
    }
    await this.snapshots.createIndex({ flowId: 1, version: 1, part: 1 }, { unique: true });
  }

  /** Inserts `entry`; false when its version is already taken (another writer got there first). */
  async append(entry: LogEntry): Promise<boolean> {
    try {
      await this.entries.insertOne({
        _id: entryId(entry.flowId, entry.version),
        ...entry,
        update: Buffer.from(entry.update) as unknown as mongo.Binary,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Stores the listing copy of a flow's content at `version`, unless a newer one is there. */
  async writeListing(flowId: string, version: number, content: string): Promise<void> {
    try {
      await this.listings.updateOne(
        { _id: flowId, version: { $lt: version } },
        { $set: { version, content } },
        { upsert: true },
      );
    } catch (error) {
      // The upsert met a copy at this version or newer: nothing to do.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** The listing copies of these flows' content (one query by `_id`). */
  async listingsOf(flowIds: readonly string[]): Promise<Map<string, { version: number; content: string }>> {
    if (flowIds.length === 0) return new Map();
    const found = await this.listings.find({ _id: { $in: [...flowIds] } }).toArray();
    return new Map(found.map(({ _id, version, content }) => [_id, { version, content }]));
  }

  /** Whether the entry at `version` is logged (one lookup by `_id`). */
  async has(flowId: string, version: number): Promise<boolean> {
    const found = await this.entries.findOne({ _id: entryId(flowId, version) }, { projection: { _id: 1 } });
    return found !== null;
  }

  /** Entries after `version`, in order, at most `limit`. */
  async after(flowId: string, version: number, limit = 1_000): Promise<LogEntry[]> {
    const found = await this.entries
      .find({ flowId, version: { $gt: version } }, { projection: { _id: 0 } })
      .sort({ version: 1 })
      .limit(limit)
      .toArray();
    return found.map((entry) => ({ ...entry, update: bytes(entry.update) }));
  }

  latestSnapshot(flowId: string): Promise<Snapshot | null> {
    return this.snapshotAtOrBefore(flowId, Number.MAX_SAFE_INTEGER);
  }

  /**
   * Saves a snapshot: its parts of at most `snapshotPartBytes`, then its head. Another
   * instance may have saved the same version, which is as good; a save cut short by a
   * crash leaves parts without a head, which nobody reads (they stay: rare, and bounded).
   */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const { flowId, version, state, at, epoch } = snapshot;
    const size = this.snapshotPartBytes;
    const parts = Math.max(1, Math.ceil(state.byteLength / size));
    const saved = async (write: Promise<unknown>): Promise<void> => {
      await write.catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
    };
    // One at a time: a batch of several parts could itself exceed the store's message limit.
    for (let part = 0; part < parts; part += 1) {
      const bytes = Buffer.from(state.subarray(part * size, (part + 1) * size)) as unknown as mongo.Binary;
      await saved(this.parts.insertOne({ _id: partId(flowId, version, part), state: bytes }));
    }
    await saved(this.snapshots.insertOne({ flowId, version, part: 0, parts, at, ...(epoch ? { epoch } : {}) }));
  }

  /**
   * Drops what no longer needs keeping: log entries up to a base snapshot at or before
   * `keepAfter` and taken before `settled`, and snapshots older than that base. Loading
   * needs only the newest snapshot and the entries after it; keeping the base means every
   * version after it can still be rebuilt (history, diffs, restores) and clients can
   * resume by version. `settled` keeps recent entries whatever their number: a writer
   * whose copy was current shortly before must find its next version taken, not free.
   */
  async compact(flowId: string, keepAfter: number, settled: Date): Promise<void> {
    const base = await this.snapshotAtOrBefore(flowId, keepAfter, settled);
    if (!base) return;
    const done = this.compacted.get(flowId);
    if (!done || done.times % SWEEP_EVERY === 0) {
      // By range: also entries written before ids were keyed, and any a failed run left.
      await this.entries.deleteMany({ flowId, version: { $lte: base.version } });
    } else if (base.version > done.through) {
      // By id, from where this instance got to: cheap on every engine.
      const ids = Array.from({ length: base.version - done.through }, (_, i) => entryId(flowId, done.through + 1 + i));
      await this.entries.bulkWrite(
        ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    }
    this.compacted.set(flowId, { through: Math.max(done?.through ?? 0, base.version), times: (done?.times ?? 0) + 1 });
    const older = await this.snapshots
      .find({ flowId, version: { $lt: base.version } }, { projection: { version: 1, parts: 1, state: 1 } })
      .toArray();
    // Heads first: a head is never left without its parts.
    await this.snapshots.deleteMany({ flowId, version: { $lt: base.version } });
    const partIds = older
      .filter((head) => !head.state)
      .flatMap((head) => Array.from({ length: head.parts ?? 1 }, (_, part) => partId(flowId, head.version, part)));
    if (partIds.length > 0) {
      await this.parts.bulkWrite(
        partIds.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    }
  }

  /**
   * Removes everything kept of a flow (its deletion): snapshot parts by id, then the heads
   * that name them, then the log. Safe to run again after a stop half-way. Parts of a save
   * cut short by a crash have no head to find them by and stay, as in `saveSnapshot`.
   */
  async removeFlow(flowId: string): Promise<void> {
    // Not the states: an older snapshot's head holding its own state names no parts, and
    // removing parts that do not exist costs a lookup by id each.
    const heads = await this.snapshots.find({ flowId }, { projection: { version: 1, parts: 1 } }).toArray();
    const partIds = [
      ...new Set(
        heads.flatMap((head) =>
          Array.from({ length: head.parts ?? 1 }, (_, part) => partId(flowId, head.version, part)),
        ),
      ),
    ];
    if (partIds.length > 0) {
      await this.parts.bulkWrite(
        partIds.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    }
    await this.snapshots.deleteMany({ flowId });
    await this.entries.deleteMany({ flowId });
    await this.listings.deleteOne({ _id: flowId });
  }

  /** The newest complete snapshot at or before `version` (and taken before `takenBefore`). */
  async snapshotAtOrBefore(flowId: string, version: number, takenBefore?: Date): Promise<Snapshot | null> {
    let below = version;
    for (;;) {
      // The head only: states are read for the one found.
      const [first] = await this.snapshots
        .find(
          {
            flowId,
            version: { $lte: below },
            $or: [{ part: 0 }, { part: { $exists: false } }],
            ...(takenBefore ? { at: { $lt: takenBefore } } : {}),
          },
          { projection: { _id: 0 } },
        )
        .sort({ version: -1 })
        .limit(1)
        .toArray();
      if (!first) return null;
      const state = await this.stateOf(first);
      if (state) return { flowId, version: first.version, state, at: first.at, epoch: first.epoch ?? 0 };
      below = first.version - 1;
    }
  }

  /** A snapshot's whole state from its head; null while a part is missing (a save cut short). */
  private async stateOf(head: StoredSnapshot): Promise<Uint8Array | null> {
    const parts = head.parts ?? 1;
    let stored: (mongo.Binary | undefined)[];
    if (!head.state) {
      const ids = Array.from({ length: parts }, (_, part) => partId(head.flowId, head.version, part));
      // One lookup by `_id` each: the embedded engine reads nothing else for them.
      stored = await Promise.all(ids.map(async (_id) => (await this.parts.findOne({ _id }))?.state));
    } else {
      const rest =
        parts === 1
          ? []
          : await this.snapshots
              .find({ flowId: head.flowId, version: head.version, part: { $gt: 0 } }, { projection: { _id: 0 } })
              .sort({ part: 1 })
              .toArray();
      if (rest.length !== parts - 1) return null;
      stored = [head.state, ...rest.map((part, index) => (part.part === index + 1 ? part.state : undefined))];
    }
    if (stored.some((part) => !part)) return null;
    return new Uint8Array(Buffer.concat(stored.map((part) => bytes(part as mongo.Binary))));
  }

  /** Entries after `from` up to and including `to`, in order. */
  async between(flowId: string, from: number, to: number): Promise<LogEntry[]> {
    const found = await this.entries
      .find({ flowId, version: { $gt: from, $lte: to } }, { projection: { _id: 0 } })
      .sort({ version: 1 })
      .toArray();
    return found.map((entry) => ({ ...entry, update: bytes(entry.update) }));
  }

  /** Entries before `version`, newest first, at most `limit` (history pages). */
  async before(flowId: string, version: number, limit: number): Promise<LogEntry[]> {
    const found = await this.entries
      .find({ flowId, version: { $lt: version } }, { projection: { _id: 0 } })
      .sort({ version: -1 })
      .limit(limit)
      .toArray();
    return found.map((entry) => ({ ...entry, update: bytes(entry.update) }));
  }
}
