// Data of the SQLite engine under DATA_DIR: refused at start with the command that moves it, then moved.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { legacySqliteDir, startEmbeddedEngine } from '../stack/engine.js';
import { ensureFerretdb, startFerretdb } from '../stack/ferretdb.js';
import { freePort } from '../stack/net.js';

const { MongoClient, ObjectId } = mongoose.mongo;
const toolsDir = join(process.cwd(), '.tools');
const scratch = await mkdtemp(join(tmpdir(), 'ufe-migrate-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const flowId = new ObjectId();

/** DATA_DIR as the SQLite engine left it: a flow with binary and date fields, indexes, 1,500 updates. */
async function legacyDataDir(): Promise<string> {
  const dataDir = join(scratch, 'data');
  await mkdir(legacySqliteDir(dataDir), { recursive: true });
  const engine = await startFerretdb(
    await ensureFerretdb(toolsDir),
    { sqliteDir: legacySqliteDir(dataDir) },
    join(scratch, 'state'),
    await freePort(),
    'ignore',
  );
  const client = await MongoClient.connect(engine.uri);
  try {
    const flows = client.db('ufe_flows').collection('flows');
    await flows.createIndex({ workspaceId: 1, _id: -1 });
    await flows.insertOne({ _id: flowId, name: 'Checkout', workspaceId: 'w1', createdAt: new Date(0) });
    const updates = client.db('ufe_flows').collection('flow_updates');
    await updates.createIndex({ flowId: 1, version: 1 }, { unique: true });
    await updates.insertMany(
      Array.from({ length: 1_500 }, (_, version) => ({
        flowId: String(flowId),
        version,
        update: Buffer.from([version % 256, 1, 2]),
      })),
    );
    await client.db('ufe_users').collection('users').insertOne({ email: 'ada@example.com' });
  } finally {
    await client.close();
    await engine.stop();
  }
  return dataDir;
}

/** Runs `npm run db:migrate`'s script on `dataDir`. */
async function migrate(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'stack/dbMigrate.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, TOOLS_DIR: toolsDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

describe('data of the SQLite engine', () => {
  let dataDir = '';

  it('is refused at start, naming the command that migrates it, and nothing is created', async () => {
    dataDir = await legacyDataDir();
    await expect(startEmbeddedEngine(dataDir, toolsDir, 'ignore')).rejects.toThrow(/npm run db:migrate/);
    expect(await readdir(dataDir)).toEqual(['ferretdb']);
  });

  it('is moved by db:migrate: every document and index, the SQLite folder kept aside', async () => {
    const { code, output } = await migrate(dataDir);
    expect(code, output).toBe(0);
    expect(output).toContain('ufe_flows.flow_updates: 1500 documents');
    expect((await readdir(dataDir)).some((name) => name.startsWith('ferretdb-sqlite-migrated-'))).toBe(true);

    const engine = await startEmbeddedEngine(dataDir, toolsDir, 'ignore');
    const client = await MongoClient.connect(engine.uri);
    try {
      const db = client.db('ufe_flows');
      const flow = await db.collection('flows').findOne({ _id: flowId });
      expect(flow).toMatchObject({ name: 'Checkout', workspaceId: 'w1', createdAt: new Date(0) });
      const update = await db.collection('flow_updates').findOne({ flowId: String(flowId), version: 1_499 });
      expect(Buffer.from((update?.['update'] as mongoose.mongo.Binary).buffer)).toEqual(
        Buffer.from([1_499 % 256, 1, 2]),
      );
      expect(await db.collection('flow_updates').countDocuments()).toBe(1_500);
      const indexes = (await db.collection('flow_updates').listIndexes().toArray()).map((index) => index['name']);
      expect(indexes).toContain('flowId_1_version_1');
      // The unique index came along: a second writer of a version is still refused.
      await expect(
        db.collection('flow_updates').insertOne({ flowId: String(flowId), version: 3, update: Buffer.from([0]) }),
      ).rejects.toThrow(/duplicate key/i);
      expect(await client.db('ufe_users').collection('users').countDocuments({ email: 'ada@example.com' })).toBe(1);
    } finally {
      await client.close();
      for (const proc of engine.processes.reverse()) await proc.stop();
    }
  });

  it('is not migrated twice', async () => {
    const { code, output } = await migrate(dataDir);
    expect(code, output).toBe(0);
    expect(output).toContain('nothing to migrate');
  });
});
