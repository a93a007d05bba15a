import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../../internal/db/index.js';
import { UpdateLog } from '../src/collab/updateLog.js';

let db: Connection;

beforeAll(async () => {
  db = await connectDatabase(inject('serviceEnv')['MONGODB_URI'] ?? '', `ufe_flows_log_${Date.now()}`, new Registry());
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

const snapshot = (flowId: string, version: number, size: number) => ({
  flowId,
  version,
  state: new Uint8Array(randomBytes(size)),
  at: new Date(),
});
const snapshots = () => db.db!.collection('flow_snapshots');

describe('UpdateLog snapshots', () => {
  it('stores a snapshot larger than a part in parts, and reads it back whole', async () => {
    const log = new UpdateLog(db, 1_000);
    await log.init();
    const saved = snapshot('parts', 100, 3_500);
    await log.saveSnapshot(saved);
    expect(await snapshots().countDocuments({ flowId: 'parts', version: 100 })).toBe(4);
    const read = await log.latestSnapshot('parts');
    expect(read?.version).toBe(100);
    expect(Buffer.from(read!.state).equals(Buffer.from(saved.state))).toBe(true);
    // Saved again (another instance got there too): as good.
    await log.saveSnapshot(saved);
    expect(await snapshots().countDocuments({ flowId: 'parts', version: 100 })).toBe(4);
  });

  it('passes over a snapshot whose save was cut short', async () => {
    const log = new UpdateLog(db, 1_000);
    await log.init();
    const older = snapshot('cut', 100, 2_500);
    await log.saveSnapshot(older);
    await log.saveSnapshot(snapshot('cut', 200, 2_500));
    await snapshots().deleteOne({ flowId: 'cut', version: 200, part: 2 });
    const read = await log.latestSnapshot('cut');
    expect(read?.version).toBe(100);
    expect(Buffer.from(read!.state).equals(Buffer.from(older.state))).toBe(true);
    expect((await log.snapshotAtOrBefore('cut', 150))?.version).toBe(100);
    expect(await log.snapshotAtOrBefore('cut', 99)).toBeNull();
  });

  it('reads snapshots written as one document, after replacing their old unique index', async () => {
    // A database of its own: the other tests' parts would break the old unique index.
    const oldDb = await connectDatabase(
      inject('serviceEnv')['MONGODB_URI'] ?? '',
      `ufe_flows_log_old_${Date.now()}`,
      new Registry(),
    );
    try {
      const stored = oldDb.db!.collection('flow_snapshots');
      await stored.createIndex({ flowId: 1, version: 1 }, { unique: true });
      const old = snapshot('old', 100, 500);
      await stored.insertOne({ ...old, state: Buffer.from(old.state) });
      const log = new UpdateLog(oldDb, 1_000);
      await log.init();
      const indexes = await stored.listIndexes().toArray();
      expect(indexes.map((index) => index.name)).not.toContain('flowId_1_version_1');
      expect(Buffer.from((await log.latestSnapshot('old'))!.state).equals(Buffer.from(old.state))).toBe(true);
      // Parts of one version can now be stored.
      await log.saveSnapshot(snapshot('old', 200, 2_500));
      expect((await log.latestSnapshot('old'))?.version).toBe(200);
    } finally {
      await oldDb.dropDatabase();
      await oldDb.close();
    }
  });

  it("keeps a flow whose document is larger than a store document (MongoDB's 16 MB)", async () => {
    const log = new UpdateLog(db);
    await log.init();
    const large = snapshot('large', 100, 17 * 1024 * 1024);
    await log.saveSnapshot(large);
    const read = await log.latestSnapshot('large');
    expect(read?.state.byteLength).toBe(large.state.byteLength);
    expect(Buffer.from(read!.state).equals(Buffer.from(large.state))).toBe(true);
  }, 60_000);
});
