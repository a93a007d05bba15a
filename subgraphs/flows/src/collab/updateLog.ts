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
  update: mongo.Binary;
}
interface StoredSnapshot extends Omit<Snapshot, 'state'> {
  state: mongo.Binary;
}

const bytes = (binary: mongo.Binary): Uint8Array => new Uint8Array(binary.buffer.subarray(0, binary.position));

export class UpdateLog {
  private readonly entries: mongo.Collection<StoredEntry>;
  private readonly snapshots: mongo.Collection<StoredSnapshot>;

  constructor(db: Connection) {
    if (!db.db) throw new Error('the flows database is not connected');
    this.entries = db.db.collection<StoredEntry>('flow_updates');
    this.snapshots = db.db.collection<StoredSnapshot>('flow_snapshots');
  }

  async init(): Promise<void> {
    await this.entries.createIndex({ flowId: 1, version: 1 }, { unique: true });
    await this.snapshots.createIndex({ flowId: 1, version: 1 }, { unique: true });
  }

  /** Inserts `entry`; false when its version is already taken (another writer got there first). */
  async append(entry: LogEntry): Promise<boolean> {
    try {
      await this.entries.insertOne({ ...entry, update: Buffer.from(entry.update) as unknown as mongo.Binary });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
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

  async latestSnapshot(flowId: string): Promise<Snapshot | null> {
    const found = await this.snapshots
      .find({ flowId }, { projection: { _id: 0 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    const snapshot = found[0];
    return snapshot ? { ...snapshot, state: bytes(snapshot.state) } : null;
  }

  /** Saves a snapshot; another instance may have saved the same version, which is as good. */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    try {
      await this.snapshots.insertOne({ ...snapshot, state: Buffer.from(snapshot.state) as unknown as mongo.Binary });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /**
   * Drops what no longer needs keeping: log entries up to a base snapshot at or before
   * `keepAfter`, and snapshots older than that base. Loading needs only the newest
   * snapshot and the entries after it; keeping the base means every version after it can
   * still be rebuilt (history, diffs, restores) and clients can resume by version.
   */
  async compact(flowId: string, snapshotVersion: number, keepAfter: number): Promise<void> {
    const base = await this.snapshotAtOrBefore(flowId, Math.min(keepAfter, snapshotVersion));
    if (!base) return;
    await this.entries.deleteMany({ flowId, version: { $lte: base.version } });
    await this.snapshots.deleteMany({ flowId, version: { $lt: base.version } });
  }

  /** The newest snapshot at or before `version`. */
  async snapshotAtOrBefore(flowId: string, version: number): Promise<Snapshot | null> {
    const found = await this.snapshots
      .find({ flowId, version: { $lte: version } }, { projection: { _id: 0 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    const snapshot = found[0];
    return snapshot ? { ...snapshot, state: bytes(snapshot.state) } : null;
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
