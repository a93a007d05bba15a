import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { UpdateLog } from '../../src/store/updateLog.js';

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
const parts = () => db.db!.collection<{ _id: string }>('flow_snapshot_parts');

describe('UpdateLog snapshots', () => {
  it('stores a snapshot larger than a part in parts, and reads it back whole', async () => {
    const log = new UpdateLog(db, 1_000);
    await log.init();
    const saved = snapshot('parts', 100, 3_500);
    await log.saveSnapshot(saved);
    // One small head; the parts apart, by id.
    expect(await snapshots().countDocuments({ flowId: 'parts', version: 100 })).toBe(1);
    expect(await parts().countDocuments({ _id: { $in: [0, 1, 2, 3, 4].map((i) => `parts:100:${i}`) } })).toBe(4);
    const read = await log.latestSnapshot('parts');
    expect(read?.version).toBe(100);
    expect(Buffer.from(read!.state).equals(Buffer.from(saved.state))).toBe(true);
    // Saved again (another instance got there too): as good.
    await log.saveSnapshot(saved);
    expect(await snapshots().countDocuments({ flowId: 'parts', version: 100 })).toBe(1);
  });

  it('passes over a snapshot whose save was cut short', async () => {
    const log = new UpdateLog(db, 1_000);
    await log.init();
    const older = snapshot('cut', 100, 2_500);
    await log.saveSnapshot(older);
    await log.saveSnapshot(snapshot('cut', 200, 2_500));
    await parts().deleteOne({ _id: 'cut:200:2' });
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
      // Parts in the documents themselves, as they were stored before parts moved apart.
      const inline = snapshot('old', 150, 2_500);
      for (const part of [0, 1, 2]) {
        const state = Buffer.from(inline.state.subarray(part * 1_000, (part + 1) * 1_000));
        await stored.insertOne({ ...inline, part, parts: 3, state });
      }
      expect(Buffer.from((await log.latestSnapshot('old'))!.state).equals(Buffer.from(inline.state))).toBe(true);
      // The current format, next to both.
      await log.saveSnapshot(snapshot('old', 200, 2_500));
      expect((await log.latestSnapshot('old'))?.version).toBe(200);
      await log.compact('old', 200, new Date());
      expect(await stored.countDocuments({ flowId: 'old' })).toBe(1);
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

describe('UpdateLog compaction', () => {
  const entry = (flowId: string, version: number) => ({
    flowId,
    version,
    update: new Uint8Array([version]),
    ops: '[]',
    clientId: null,
    authorId: 'u1',
    at: new Date(),
  });
  const versions = async (log: UpdateLog, flowId: string) =>
    (await log.after(flowId, 0, 100)).map((logged) => logged.version);
  const longAgo = new Date(Date.now() - 3_600_000);

  it('removes by range the first time (also entries without keyed ids), then by id only', async () => {
    const log = new UpdateLog(db);
    await log.init();
    const entries = db.db!.collection('flow_updates');
    for (let version = 1; version <= 30; version += 1) {
      if (version !== 5) await log.append(entry('keyed', version));
    }
    // Written before ids were keyed.
    await entries.insertOne({ ...entry('keyed', 5), update: Buffer.from([5]) });
    for (const version of [10, 20]) await log.saveSnapshot({ ...snapshot('keyed', version, 10), at: longAgo });
    await log.saveSnapshot(snapshot('keyed', 30, 10));
    expect(await log.has('keyed', 30)).toBe(true);
    expect(await log.has('keyed', 31)).toBe(false);

    await log.compact('keyed', 10, new Date());
    expect(await versions(log, 'keyed')).toEqual(Array.from({ length: 20 }, (_, i) => i + 11));

    const deletes: unknown[] = [];
    const listener = (event: { commandName: string; command: { deletes?: { q: unknown }[] } }): void => {
      if (event.commandName === 'delete' && event.command.deletes)
        deletes.push(...event.command.deletes.map((d) => d.q));
    };
    db.getClient().on('commandStarted', listener);
    try {
      // The snapshot at 30 is too recent to be a base: 20 is.
      await log.compact('keyed', 30, new Date(Date.now() - 60_000));
    } finally {
      db.getClient().off('commandStarted', listener);
    }
    expect(await versions(log, 'keyed')).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    const ids = deletes.flatMap((filter) => {
      const keys = Object.keys(filter as object);
      return keys.length === 1 && keys[0] === '_id' ? [(filter as { _id: string })._id] : [];
    });
    expect(ids).toEqual([...Array.from({ length: 10 }, (_, i) => `keyed:${i + 11}`), 'keyed:10:0']);
    // Snapshot heads older than the base go by range (they are small); no entry does.
    expect(deletes.filter((filter) => !('_id' in (filter as object)))).toEqual([
      { flowId: 'keyed', version: { $lt: 20 } },
    ]);
    expect(await parts().countDocuments({ _id: { $in: ['keyed:10:0', 'keyed:20:0'] } })).toBe(1);
    expect((await log.latestSnapshot('keyed'))?.version).toBe(30);
    expect((await log.snapshotAtOrBefore('keyed', 29))?.version).toBe(20);
    expect(await log.snapshotAtOrBefore('keyed', 19)).toBeNull();
  });
});
