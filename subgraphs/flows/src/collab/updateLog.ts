import { LRUCache } from 'lru-cache';
import type { Connection, mongo } from 'mongoose';
import { isDuplicateKey } from '../../../../internal/db/index.js';

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
}

/** The whole document at one version, so loading need not replay the log from the start. */
export interface Snapshot {
  flowId: string;
  version: number;
  state: Uint8Array;
  at: Date;
}

interface StoredEntry extends Omit<LogEntry, 'update'> {
  /** `entryId(flowId, version)`; an ObjectId on entries written before ids were keyed. */
  _id: string | mongo.ObjectId;
  update: mongo.Binary;
}
/**
 * One part of a snapshot: a large flow's document can outgrow a store document (16 MB in
 * MongoDB), so its state is cut into parts. A snapshot counts once all its parts are in.
 * Snapshots written before parts existed have neither field: one part.
 */
interface StoredSnapshot extends Omit<Snapshot, 'state'> {
  state: mongo.Binary;
  part?: number;
  parts?: number;
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

/** Every this many compactions of a flow, one also removes by range what removals by id miss. */
const SWEEP_EVERY = 10;

export class UpdateLog {
  private readonly entries: mongo.Collection<StoredEntry>;
  private readonly snapshots: mongo.Collection<StoredSnapshot>;
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
   * Saves a snapshot, in parts of at most `snapshotPartBytes`. Another instance may have
   * saved the same version, which is as good; a save cut short leaves an incomplete
   * snapshot, which readers pass over.
   */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const size = this.snapshotPartBytes;
    const parts = Math.max(1, Math.ceil(snapshot.state.byteLength / size));
    const stored = Array.from({ length: parts }, (_, part) => ({
      ...snapshot,
      part,
      parts,
      state: Buffer.from(snapshot.state.subarray(part * size, (part + 1) * size)) as unknown as mongo.Binary,
    }));
    try {
      // One at a time: a batch of several parts could itself exceed the store's message limit.
      for (const part of stored) await this.snapshots.insertOne(part);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
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
    await this.snapshots.deleteMany({ flowId, version: { $lt: base.version } });
  }

  /** The newest complete snapshot at or before `version` (and taken before `takenBefore`). */
  async snapshotAtOrBefore(flowId: string, version: number, takenBefore?: Date): Promise<Snapshot | null> {
    let below = version;
    for (;;) {
      // The first part says how many there are; the rest are read only for large flows.
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
      const parts = first.parts ?? 1;
      const rest =
        parts === 1
          ? []
          : await this.snapshots
              .find({ flowId, version: first.version, part: { $gt: 0 } }, { projection: { _id: 0 } })
              .sort({ part: 1 })
              .toArray();
      if (rest.length === parts - 1 && rest.every((stored, index) => stored.part === index + 1)) {
        const state = Buffer.concat([first, ...rest].map((stored) => bytes(stored.state)));
        return { flowId, version: first.version, state: new Uint8Array(state), at: first.at };
      }
      below = first.version - 1;
    }
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
