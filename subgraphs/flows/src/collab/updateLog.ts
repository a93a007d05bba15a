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
   * Drops log entries up to `keepAfter` and snapshots older than `snapshotVersion`:
   * loading needs only the newest snapshot and the entries after it; the rest of the
   * log is kept so clients can resume by version.
   */
  async compact(flowId: string, snapshotVersion: number, keepAfter: number): Promise<void> {
    await this.entries.deleteMany({ flowId, version: { $lte: Math.min(keepAfter, snapshotVersion) } });
    await this.snapshots.deleteMany({ flowId, version: { $lt: snapshotVersion } });
  }
}
