import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { createFlowModel, type FlowModel } from '../../src/store/flow.model.js';
import { RecentFlows } from '../../src/store/recentFlows.js';

let db: Connection;
let flows: FlowModel;
/** `find` commands this connection has sent to the store. */
let finds = 0;

beforeAll(async () => {
  db = await connectDatabase(
    inject('serviceEnv')['MONGODB_URI'] ?? '',
    `ufe_flows_recent_${Date.now()}`,
    new Registry(),
  );
  db.getClient().on('commandStarted', (event: { commandName: string }) => {
    if (event.commandName === 'find') finds += 1;
  });
  flows = createFlowModel(db);
  await flows.init();
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

const newFlow = async (name: string) =>
  (await flows.create({ name, ownerId: 'u1', workspaceId: null, version: 0 })).id as string;

describe('RecentFlows', () => {
  it('reads each record once within its time, all missing ones in one query, and never keeps a missing one', async () => {
    const [a, b] = [await newFlow('a'), await newFlow('b')];
    const recent = new RecentFlows(flows, 60_000);
    const unknown = '0123456789abcdef01234567';
    const before = finds;
    const first = await recent.load([a, b, unknown, 'not an id']);
    expect(first.map((flow) => flow?.name ?? null)).toEqual(['a', 'b', null, null]);
    expect(finds - before).toBe(1);
    expect((await recent.get(a))?.name).toBe('a');
    expect(finds - before).toBe(1);
    // Missing ones are asked again: a flow created meanwhile on another instance is found.
    await recent.get(unknown);
    expect(finds - before).toBe(2);
  });

  it('reads a record again once forgotten, or once its time is up', async () => {
    const id = await newFlow('before');
    const recent = new RecentFlows(flows, 100);
    expect((await recent.get(id))?.name).toBe('before');
    await flows.updateOne({ _id: id }, { $set: { name: 'renamed' } });
    expect((await recent.get(id))?.name).toBe('before');
    recent.forget(id);
    expect((await recent.get(id))?.name).toBe('renamed');
    await flows.updateOne({ _id: id }, { $set: { name: 'again' } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await recent.get(id))?.name).toBe('again');
  });

  it('keeps at most `max` records, forgetting the oldest first', async () => {
    const ids = [await newFlow('1'), await newFlow('2'), await newFlow('3')];
    const recent = new RecentFlows(flows, 60_000, 2);
    for (const id of ids) await recent.get(id);
    const before = finds;
    await recent.load(ids.slice(1));
    expect(finds - before).toBe(0);
    await recent.get(ids[0] as string);
    expect(finds - before).toBe(1);
  });
});
