import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { hasLegacyData, legacySqliteDir, startEmbeddedEngine } from './engine.js';
import { ensureFerretdb, startFerretdb } from './ferretdb.js';
import { StackError } from './log.js';
import { freePort } from './net.js';
import type { Supervised } from './processes.js';

const { MongoClient } = mongoose.mongo;
type Db = mongoose.mongo.Db;

const SYSTEM_DATABASES = new Set(['admin', 'config', 'local']);
const BATCH = 1_000;

export interface MigrationReport {
  /** `database.collection` → documents copied. */
  copied: Record<string, number>;
  /** Where the SQLite data was kept, renamed. */
  keptAt: string;
}

/**
 * Moves DATA_DIR's databases from the SQLite engine (FerretDB on SQLite, before the
 * embedded PostgreSQL) to the current one: every collection with its indexes, counted on
 * both sides. The SQLite folder is only renamed once everything is in, so a run cut short
 * is simply run again (it starts over from the SQLite data, which it never changes).
 */
export async function migrateLegacyData(dataDir: string, toolsDir: string): Promise<MigrationReport | null> {
  if (!(await hasLegacyData(dataDir))) return null;
  const binary = await ensureFerretdb(toolsDir);
  const state = await mkdtemp(join(dataDir, 'migrate-state-'));
  const running: Supervised[] = [];
  try {
    const legacy = await startFerretdb(
      binary,
      { sqliteDir: legacySqliteDir(dataDir) },
      state,
      await freePort(),
      'ignore',
    );
    running.push(legacy);
    const engine = await startEmbeddedEngine(dataDir, toolsDir, 'ignore', { besideLegacyData: true });
    // FerretDB before PostgreSQL when stopping.
    running.unshift(...engine.processes.reverse());
    const from = await MongoClient.connect(legacy.uri);
    const to = await MongoClient.connect(engine.uri);
    const copied: Record<string, number> = {};
    try {
      const { databases } = await from.db('admin').admin().listDatabases();
      for (const { name } of databases) {
        if (SYSTEM_DATABASES.has(name)) continue;
        // Whatever an earlier, cut-short run copied goes first.
        await to.db(name).dropDatabase();
        for (const [collection, count] of Object.entries(await copyDatabase(from.db(name), to.db(name)))) {
          copied[`${name}.${collection}`] = count;
        }
      }
    } finally {
      await Promise.all([from.close(), to.close()]);
    }
    const keptAt = `${legacySqliteDir(dataDir)}-sqlite-migrated-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(legacySqliteDir(dataDir), keptAt);
    return { copied, keptAt };
  } finally {
    for (const proc of running) await proc.stop();
    await rm(state, { recursive: true, force: true });
  }
}

async function copyDatabase(from: Db, to: Db): Promise<Record<string, number>> {
  const copied: Record<string, number> = {};
  for (const { name } of await from.listCollections({}, { nameOnly: true }).toArray()) {
    const source = from.collection(name);
    const target = to.collection(name);
    await to.createCollection(name);
    for (const index of await source.listIndexes().toArray()) {
      if (index['name'] === '_id_') continue;
      const { key, v: _v, ns: _ns, ...options } = index as { key: Record<string, 1 | -1>; v?: number; ns?: string };
      await target.createIndex(key, options);
    }
    let batch: mongoose.mongo.Document[] = [];
    let count = 0;
    for await (const doc of source.find({}, { sort: { _id: 1 } })) {
      batch.push(doc);
      if (batch.length === BATCH) {
        await target.insertMany(batch, { ordered: false });
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await target.insertMany(batch, { ordered: false });
    count += batch.length;
    const [had, has] = await Promise.all([source.countDocuments(), target.countDocuments()]);
    if (had !== has || has !== count) {
      throw new StackError(`${from.databaseName}.${name}: ${had} documents in the SQLite engine, ${has} after copying`);
    }
    copied[name] = count;
  }
  return copied;
}
