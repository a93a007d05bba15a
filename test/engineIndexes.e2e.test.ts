// The engine's plans for the hot read paths: each is served by an index, never by reading the whole collection.
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

const { MongoClient, ObjectId } = mongoose.mongo;
const env = inject('serviceEnv');
const embedded = !process.env['MONGODB_URI'];
const ROWS = 3_000;
const ids = Array.from({ length: ROWS }, () => new ObjectId());

interface Path {
  what: string;
  db: string;
  collection: string;
  filter: Record<string, unknown>;
}

/** The filters the subgraphs send, on the collections whose indexes they create. */
const PATHS: Path[] = [
  {
    what: 'a page of one workspace’s flows (with the caller’s visibility)',
    db: 'ufe_flows',
    collection: 'flows',
    filter: {
      $and: [
        {
          $or: [
            { workspaceId: null, ownerId: 'u1' },
            { workspaceId: { $in: ['w1', 'w2'] } },
            { _id: { $in: [ids[7]] } },
          ],
        },
        { deletedAt: null },
        { workspaceId: 'w1' },
      ],
    },
  },
  {
    what: 'all flows the caller can see',
    db: 'ufe_flows',
    collection: 'flows',
    filter: {
      $and: [{ $or: [{ workspaceId: null, ownerId: 'u1' }, { workspaceId: { $in: ['w1'] } }] }, { deletedAt: null }],
    },
  },
  { what: 'a flow by id', db: 'ufe_flows', collection: 'flows', filter: { _id: ids[5] } },
  { what: 'a request’s flows by id', db: 'ufe_flows', collection: 'flows', filter: { _id: { $in: [ids[1], ids[2]] } } },
  {
    what: 'a flow’s updates since a version',
    db: 'ufe_flows',
    collection: 'flow_updates',
    filter: { flowId: 'f1', version: { $gt: 3 } },
  },
  {
    what: 'a page’s collaborators',
    db: 'ufe_flows',
    collection: 'flow_collaborators',
    filter: { flowId: { $in: ['f1', 'f2'] } },
  },
  {
    what: 'the flows shared with the caller',
    db: 'ufe_flows',
    collection: 'flow_collaborators',
    filter: { userId: 'u1' },
  },
  {
    what: 'users by id (references)',
    db: 'ufe_users',
    collection: 'users',
    filter: { _id: { $in: [ids[3], ids[4]] } },
  },
  { what: 'a user by email', db: 'ufe_users', collection: 'users', filter: { email: 'u1@example.com' } },
  {
    what: 'the caller’s roles',
    db: 'ufe_users',
    collection: 'memberships',
    filter: { userId: 'u1', workspaceId: { $in: ['w1', 'w2'] } },
  },
  { what: 'a user’s knowledge', db: 'ufe_knowledge', collection: 'documents', filter: { ownerId: 'u1' } },
];

/** A document with every field the filters use, spread over 300 values each. */
const row = (i: number): Record<string, unknown> => ({
  _id: ids[i],
  workspaceId: i % 10 === 0 ? null : `w${i % 300}`,
  ownerId: `u${i % 300}`,
  userId: `u${Math.floor(i / 10) % 300}`, // never the same (flowId, userId) or (userId, workspaceId) twice
  flowId: `f${i % 300}`,
  version: i,
  email: `u${i}@example.com`,
  deletedAt: null,
  name: `row ${i}`,
});

let client: mongoose.mongo.MongoClient;
const scratch = (path: Path): string => `ufe_plans_${path.db}_${path.collection}`.slice(0, 60);

beforeAll(async () => {
  client = await MongoClient.connect(env['MONGODB_URI'] ?? '');
  // The real collections' indexes, on enough rows that a scan would show in the plan.
  for (const collection of new Set(PATHS.map((path) => `${path.db}.${path.collection}`))) {
    const [db, name] = collection.split('.') as [string, string];
    const target = client.db(scratch({ db, collection: name } as Path)).collection(name);
    await target.drop().catch(() => undefined);
    for (const index of await client.db(db).collection(name).listIndexes().toArray()) {
      if (index['name'] === '_id_') continue;
      const { key, v: _v, ns: _ns, unique, name: indexName } = index as Record<string, unknown>;
      await target.createIndex(key as Record<string, 1>, { name: indexName as string, unique: unique === true });
    }
    for (let i = 0; i < ROWS; i += 1_000) {
      await target.insertMany(Array.from({ length: 1_000 }, (_, j) => row(i + j)));
    }
  }
}, 120_000);
afterAll(async () => {
  for (const path of PATHS) await client.db(scratch(path)).dropDatabase();
  await client.close();
});

describe.skipIf(!embedded)('the embedded engine’s plans', () => {
  it.each(PATHS)('$what uses an index', async (path) => {
    const explained = await client
      .db(scratch(path))
      .command({ explain: { find: path.collection, filter: path.filter }, verbosity: 'queryPlanner' });
    const plan = JSON.stringify(explained['queryPlanner']);
    expect(plan, plan).toMatch(/Index (Only )?Scan/);
    expect(plan, plan).not.toContain('Seq Scan');
  });
});
