import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { RecentCollaborators } from '../../src/store/recentCollaborators.js';
import { createCollaboratorModel, type CollaboratorModel } from '../../src/store/sharing.model.js';

let db: Connection;
let collaborators: CollaboratorModel;
/** `find` commands this connection has sent to the store. */
let finds = 0;

beforeAll(async () => {
  db = await connectDatabase(
    inject('serviceEnv')['MONGODB_URI'] ?? '',
    `ufe_flows_collaborators_${Date.now()}`,
    new Registry(),
  );
  db.getClient().on('commandStarted', (event: { commandName: string }) => {
    if (event.commandName === 'find') finds += 1;
  });
  collaborators = createCollaboratorModel(db);
  await collaborators.init();
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

const share = (flowId: string, userId: string, role: 'ADMIN' | 'EDITOR' | 'VIEWER') =>
  collaborators.updateOne(
    { flowId, userId },
    { $set: { role }, $setOnInsert: { addedBy: 'owner', createdAt: new Date() } },
    { upsert: true },
  );

describe('RecentCollaborators', () => {
  it('reads all the flows it lacks in one query, then answers every user of them from memory', async () => {
    await share('f1', 'u1', 'VIEWER');
    await share('f1', 'u2', 'EDITOR');
    await share('f2', 'u1', 'ADMIN');
    const recent = new RecentCollaborators(collaborators, 60_000);
    const before = finds;
    const [f1, f2, none] = await recent.load(['f1', 'f2', 'f3']);
    expect(finds - before).toBe(1);
    expect(Object.fromEntries(f1!)).toEqual({ u1: 'VIEWER', u2: 'EDITOR' });
    expect(Object.fromEntries(f2!)).toEqual({ u1: 'ADMIN' });
    expect(none!.size).toBe(0);
    await recent.load(['f1', 'f2', 'f3']);
    expect(finds - before).toBe(1);
  });

  it('reads a flow again once forgotten (a change here), or once its time is up (a change elsewhere)', async () => {
    await share('g1', 'u1', 'VIEWER');
    const recent = new RecentCollaborators(collaborators, 100);
    const role = async () => (await recent.load(['g1']))[0]!.get('u1') ?? null;
    expect(await role()).toBe('VIEWER');
    await collaborators.deleteOne({ flowId: 'g1', userId: 'u1' });
    expect(await role()).toBe('VIEWER');
    recent.forget('g1');
    expect(await role()).toBeNull();
    await share('g1', 'u1', 'EDITOR');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await role()).toBe('EDITOR');
  });
});
