// Deleting an account through the router: the users domain publishes the deletion, and
// flows, knowledge, cognition and billing each consume it once, removing what the user
// kept alone while workspace content stays with an anonymised creator. Checked through the
// router where there is an API, and in each domain's database where there is none (the
// update log, processed events); then a redelivery and a second acknowledgement, and a
// consumer that was down when the account went.
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type mongo } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssertionSigner, assertionKey, IDENTITY_HEADER } from '#internal/auth';
import { errorCodes, gql, signUp, type TestUser } from '#internal/testkit';
import { shareByInvitation } from './setup/flowSharing.js';
import { mailedToken } from './setup/outbox.js';
import { startPrivateKnowledge } from './setup/privateStack.js';

const url = inject('routerUrl');
const env = inject('serviceEnv');
const subgraphUrls = inject('subgraphUrls');
const PASSWORD = 'correct horse battery';
const CONSUMERS = ['flows', 'knowledge', 'cognition', 'billing'] as const;
/** A poll every 5 s by default, and a retry or two on a loaded machine. */
const CONSUMED_WITHIN_MS = 30_000;

let client: mongo.MongoClient;
const database = (name: string): mongo.Db => client.db(env[`${name.toUpperCase()}_DB`] ?? `ufe_${name}`);

beforeAll(async () => {
  client = new mongoose.mongo.MongoClient(env['MONGODB_URI'] ?? '', { retryWrites: false });
  await client.connect();
});
afterAll(async () => {
  await client.close();
});

async function ok<T = Record<string, any>>(
  query: string,
  variables: Record<string, unknown>,
  token?: string,
  at = url,
): Promise<T> {
  const result = await gql<T>(at, query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const createFlow = async (owner: TestUser, name: string, workspaceId?: string): Promise<string> =>
  (
    await ok(
      'mutation ($input: CreateFlowInput!) { createFlow(input: $input) { id } }',
      { input: { name, ...(workspaceId ? { workspaceId } : {}) } },
      owner.token,
    )
  ).createFlow.id as string;

async function edit(flowId: string, by: TestUser, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await ok(
      'mutation ($flowId: ID!, $ops: [FlowOpInput!]!) { applyFlowOps(flowId: $flowId, ops: $ops) { version } }',
      { flowId, ops: [{ kind: 'ADD_NODE', node: { id: `n${i}`, type: 'screen', label: `Screen ${i}` } }] },
      by.token,
    );
  }
}

const addKnowledge = async (by: TestUser, title: string, workspaceId?: string, at = url): Promise<string> =>
  (
    await ok(
      'mutation ($input: AddKnowledgeInput!) { addKnowledge(input: $input) { id } }',
      { input: { title, content: `${title}: private notes`, ...(workspaceId ? { workspaceId } : {}) } },
      by.token,
      at,
    )
  ).addKnowledge.id as string;

const deleteAccount = (user: TestUser, at = url) =>
  ok('mutation ($p: String!) { deleteAccount(password: $p) }', { p: PASSWORD }, user.token, at);

/** The consumers that have not acknowledged the deletion of `userId` yet. */
async function unacknowledged(userId: string, users = database('users')): Promise<string[]> {
  const left = await users.collection('account_deletion_deliveries').find({ userId }).toArray();
  return left.map((delivery) => delivery['consumer'] as string).sort();
}

async function until(what: string, check: () => Promise<boolean>, ms = CONSUMED_WITHIN_MS): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(200)) if (await check()) return;
  throw new Error(`timed out waiting until ${what}`);
}

/** `account_deletion_events_total` of one subgraph, by outcome. */
async function outcomes(subgraph: string): Promise<Record<string, number>> {
  const text = await (await fetch((subgraphUrls[subgraph] ?? '').replace(/\/graphql$/, '/metrics'))).text();
  const counts: Record<string, number> = {};
  for (const [, outcome, value] of text.matchAll(
    /^account_deletion_events_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+)/gm,
  )) {
    counts[outcome as string] = Number(value);
  }
  return counts;
}

/** What the flows domain keeps of a flow besides its record and snapshot parts, by `flowId`. */
const KEPT_PER_FLOW = [
  'flow_updates',
  'flow_snapshots',
  'flow_named_versions',
  'flow_collaborators',
  'flow_share_links',
];

/** Snapshot parts are keyed `<flowId>:<version>:<part>`. */
const snapshotParts = (flowId: string): Promise<number> =>
  database('flows')
    .collection<{ _id: string }>('flow_snapshot_parts')
    .countDocuments({ _id: { $regex: `^${flowId}:` } });

const processedRecord = (subgraph: string, userId: string) =>
  database(subgraph)
    .collection<{ _id: string }>('processed_events')
    .findOne({ _id: `account-deletion:${userId}` });

describe('deleting an account', () => {
  let leaver: TestUser;
  let owner: TestUser;
  let friend: TestUser;
  let workspaceId: string;
  const flow = { personal: '', trashed: '', workspace: '', friends: '' };
  const knowledge = { personal: '', workspace: '' };
  let linkToken: string;
  let before: Record<string, Record<string, number>>;

  beforeAll(async () => {
    [leaver, owner, friend] = await Promise.all([signUp(url, 'Leaver'), signUp(url, 'Owner'), signUp(url, 'Friend')]);
    workspaceId = (await ok('mutation { createWorkspace(input: { name: "Stays" }) { id } }', {}, owner.token))
      .createWorkspace.id as string;
    await ok(
      'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
      { input: { workspaceId, email: leaver.email, role: 'EDITOR' } },
      owner.token,
    );
    const invitation = await mailedToken(leaver.email, 'accept-invitation');
    await ok('mutation ($t: String!) { acceptWorkspaceInvitation(token: $t) { id } }', { t: invitation }, leaver.token);

    // Personal: 100 versions, so that the log has a snapshot (with its parts) too.
    flow.personal = await createFlow(leaver, 'Mine alone');
    await edit(flow.personal, leaver, 100);
    await ok(
      'mutation ($f: ID!) { nameFlowVersion(flowId: $f, name: "v100") { id } }',
      { f: flow.personal },
      leaver.token,
    );
    await shareByInvitation(url, leaver, flow.personal, friend, 'EDITOR');
    linkToken = (
      await ok('mutation ($f: ID!) { createFlowShareLink(flowId: $f) { token } }', { f: flow.personal }, leaver.token)
    ).createFlowShareLink.token as string;
    flow.trashed = await createFlow(leaver, 'In the trash');
    await edit(flow.trashed, leaver, 2);
    await ok('mutation ($id: ID!) { deleteFlow(id: $id) }', { id: flow.trashed }, leaver.token);

    flow.workspace = await createFlow(leaver, 'The team’s', workspaceId);
    await edit(flow.workspace, leaver, 3);
    await ok(
      'mutation ($f: ID!) { nameFlowVersion(flowId: $f, name: "draft") { id } }',
      { f: flow.workspace },
      leaver.token,
    );

    flow.friends = await createFlow(friend, 'Shared with the leaver');
    await shareByInvitation(url, friend, flow.friends, leaver, 'VIEWER');

    knowledge.personal = await addKnowledge(leaver, 'My notes');
    knowledge.workspace = await addKnowledge(leaver, 'Team notes', workspaceId);
    // No checkout without Stripe: the record as a paid checkout would leave it.
    await database('billing').collection('subscriptions').insertOne({
      userId: leaver.id,
      planId: 'pro',
      status: 'active',
      currentPeriodEnd: null,
      stripeSubscriptionId: null,
    });

    // The snapshot at version 100 is written just after that version.
    await until(
      'the snapshot is written',
      async () => (await database('flows').collection('flow_snapshots').countDocuments({ flowId: flow.personal })) > 0,
    );
    // Everything the flows domain keeps of a personal flow is there to be removed.
    expect(await database('flows').collection('flow_updates').countDocuments({ flowId: flow.personal })).toBe(100);
    for (const name of KEPT_PER_FLOW) {
      expect(await database('flows').collection(name).countDocuments({ flowId: flow.personal }), name).toBeGreaterThan(
        0,
      );
    }
    expect(await snapshotParts(flow.personal)).toBeGreaterThan(0);
    expect(await ok('query ($t: String!) { sharedFlow(token: $t) { id } }', { t: linkToken })).toEqual({
      sharedFlow: { id: flow.personal },
    });
    before = Object.fromEntries(await Promise.all(CONSUMERS.map(async (name) => [name, await outcomes(name)])));

    await deleteAccount(leaver);
    await until('every consumer acknowledged', async () => (await unacknowledged(leaver.id)).length === 0);
  }, 180_000);

  it('removes the personal flows with everything kept of them', async () => {
    expect(await ok('query ($t: String!) { sharedFlow(token: $t) { id } }', { t: linkToken })).toEqual({
      sharedFlow: null,
    });
    expect(await ok('query ($id: ID!) { flow(id: $id) { id } }', { id: flow.personal }, friend.token)).toEqual({
      flow: null,
    });
    const flows = database('flows');
    for (const flowId of [flow.personal, flow.trashed]) {
      expect(await flows.collection('flows').countDocuments({ _id: new mongoose.Types.ObjectId(flowId) })).toBe(0);
      for (const name of KEPT_PER_FLOW) {
        expect(await flows.collection(name).countDocuments({ flowId }), `${name} of ${flowId}`).toBe(0);
      }
      expect(await snapshotParts(flowId), `snapshot parts of ${flowId}`).toBe(0);
    }
  });

  it('removes what others shared with the user', async () => {
    const shared = await ok(
      'query ($id: ID!) { flow(id: $id) { collaborators { user { id } } } }',
      { id: flow.friends },
      friend.token,
    );
    expect(shared).toEqual({ flow: { collaborators: [] } });
    expect(await database('flows').collection('flow_collaborators').countDocuments({ userId: leaver.id })).toBe(0);
  });

  it('keeps workspace flows, their history and named versions, with a "Deleted user" whose email nobody reads', async () => {
    const deletedUser = { id: leaver.id, name: 'Deleted user' };
    const kept = await ok(
      /* GraphQL */ `
        query ($id: ID!) {
          flow(id: $id) {
            version
            owner {
              id
              name
            }
          }
          flowHistory(flowId: $id, first: 10) {
            edges {
              node {
                author {
                  id
                  name
                }
              }
            }
          }
          flowNamedVersions(flowId: $id) {
            author {
              id
              name
            }
          }
        }
      `,
      { id: flow.workspace },
      owner.token,
    );
    expect(kept['flow']).toEqual({ version: 3, owner: deletedUser });
    expect(kept['flowHistory'].edges.map((edge: { node: unknown }) => edge.node)).toEqual(
      Array(3).fill({ author: deletedUser }),
    );
    expect(kept['flowNamedVersions']).toEqual([{ author: deletedUser }]);
    expect(await database('flows').collection('flow_updates').countDocuments({ flowId: flow.workspace })).toBe(3);

    // The workspace's owner may read its members' addresses; the deleted user is none.
    const email = await gql(
      url,
      'query ($id: ID!) { flow(id: $id) { owner { email } } }',
      { id: flow.workspace },
      owner.token,
    );
    expect(errorCodes(email)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(email)).not.toContain(leaver.email);
  });

  it('removes personal knowledge documents and keeps the workspace’s', async () => {
    const listed = await ok(
      'query ($w: ID) { knowledgeDocuments(workspaceId: $w) { edges { node { id } } } }',
      { w: workspaceId },
      owner.token,
    );
    expect(listed).toEqual({ knowledgeDocuments: { edges: [{ node: { id: knowledge.workspace } }] } });
    const documents = database('knowledge').collection('documents');
    const ids = (id: string) => ({ _id: new mongoose.Types.ObjectId(id) });
    expect(await documents.countDocuments(ids(knowledge.personal))).toBe(0);
    expect(await documents.findOne(ids(knowledge.workspace))).toMatchObject({ ownerId: leaver.id, workspaceId });
  });

  it('removes the subscription record', async () => {
    expect(await database('billing').collection('subscriptions').countDocuments({ userId: leaver.id })).toBe(0);
    // The account's access tokens stopped with its sessions.
    expect(errorCodes(await gql(url, '{ mySubscription { id } }', {}, leaver.token))).toEqual(['UNAUTHENTICATED']);
  });

  it('is processed exactly once by each of the four consumers, cognition included', async () => {
    for (const name of CONSUMERS) {
      expect(await processedRecord(name, leaver.id), name).not.toBeNull();
      expect((await outcomes(name))['processed'], name).toBeGreaterThan(before[name]?.['processed'] ?? 0);
    }
    expect(await unacknowledged(leaver.id)).toEqual([]);
  });

  it('changes nothing when delivered again or acknowledged twice', async () => {
    // Content that the handlers would remove if they ran again.
    const canaries = {
      knowledge: (
        await database('knowledge').collection('documents').insertOne({
          ownerId: leaver.id,
          workspaceId: null,
          title: 'canary',
          content: 'canary',
          createdAt: new Date(),
        })
      ).insertedId,
      billing: (
        await database('billing').collection('subscriptions').insertOne({
          userId: leaver.id,
          planId: 'free',
          status: 'active',
        })
      ).insertedId,
      flows: (
        await database('flows').collection('flows').insertOne({
          name: 'canary',
          ownerId: leaver.id,
          workspaceId: null,
          deletedAt: null,
          version: 0,
          content: null,
        })
      ).insertedId,
    };
    try {
      const duplicates = Object.fromEntries(
        await Promise.all(CONSUMERS.map(async (name) => [name, (await outcomes(name))['duplicate'] ?? 0])),
      );
      // As if each consumer had stopped between processing the event and acknowledging it.
      await database('users')
        .collection<{ _id: string }>('account_deletion_deliveries')
        .insertMany(
          CONSUMERS.map((consumer) => ({
            _id: `${consumer}:${leaver.id}`,
            consumer,
            userId: leaver.id,
            requestedAt: new Date(),
          })),
        );
      await until('the redelivery is acknowledged', async () => (await unacknowledged(leaver.id)).length === 0);

      for (const name of CONSUMERS) {
        expect((await outcomes(name))['duplicate'], name).toBeGreaterThan(duplicates[name] as number);
      }
      for (const [name, _id] of Object.entries(canaries)) {
        const collection = { knowledge: 'documents', billing: 'subscriptions', flows: 'flows' }[name] ?? '';
        expect(await database(name).collection(collection).countDocuments({ _id }), name).toBe(1);
      }

      // A second acknowledgement, as billing would send it.
      const assertion = await AssertionSigner.service('billing', assertionKey(env['JWT_SECRET'] ?? '', 'billing')).sign(
        'users',
        { identity: null, clientIp: null, service: 'billing' },
      );
      const response = await fetch(subgraphUrls['users'] ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
        body: JSON.stringify({
          query: 'mutation ($id: ID!) { acknowledgeAccountDeletion(id: $id) }',
          variables: { id: leaver.id },
        }),
      });
      expect(await response.json()).toEqual({ data: { acknowledgeAccountDeletion: false } });
    } finally {
      await database('knowledge').collection('documents').deleteOne({ _id: canaries.knowledge });
      await database('billing').collection('subscriptions').deleteOne({ _id: canaries.billing });
      await database('flows').collection('flows').deleteOne({ _id: canaries.flows });
    }
  });
});

describe('a consumer that was down when the account went', () => {
  const dbs = { users: `ufe_users_down_${Date.now()}`, knowledge: `ufe_knowledge_down_${Date.now()}` };
  let stack: Awaited<ReturnType<typeof startPrivateKnowledge>>;

  beforeAll(async () => {
    stack = await startPrivateKnowledge(dbs);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(Object.values(dbs).map((name) => client.db(name).dropDatabase()));
  });

  it('catches up when it comes back', async () => {
    const leaver = await signUp(stack.routerUrl, 'Leaves while knowledge is down');
    const documentId = await addKnowledge(leaver, 'Notes', undefined, stack.routerUrl);
    const documents = client.db(dbs.knowledge).collection('documents');
    const stored = { _id: new mongoose.Types.ObjectId(documentId) };
    await stack.stopKnowledge();

    await deleteAccount(leaver, stack.routerUrl);
    // Its delivery waits in the users domain; nothing was removed.
    await sleep(3_000);
    expect(await unacknowledged(leaver.id, client.db(dbs.users))).toEqual([...CONSUMERS].sort());
    expect(await documents.countDocuments(stored)).toBe(1);

    await stack.startKnowledge();
    await until('knowledge caught up', async () => (await documents.countDocuments(stored)) === 0);
    await until(
      'knowledge acknowledged',
      async () => !(await unacknowledged(leaver.id, client.db(dbs.users))).includes('knowledge'),
    );
    const processed = client.db(dbs.knowledge).collection<{ _id: string }>('processed_events');
    expect(await processed.countDocuments({ _id: `account-deletion:${leaver.id}` })).toBe(1);
  }, 120_000);
});
