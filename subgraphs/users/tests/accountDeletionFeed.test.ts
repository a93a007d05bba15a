// The account-deletion outbox and feed of the users subgraph on its own (real engine, own
// database): what each consuming service is served, what it may acknowledge, and what a
// deletion cut short leaves.
import 'reflect-metadata';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssertionSigner, assertionKey, IDENTITY_HEADER, type RequestOrigin } from '#internal/auth';
import { connectDatabase } from '#internal/db';
import type { RunningSubgraph } from '#internal/subgraph';
import { errorCodes, type GraphQLResponse } from '#internal/testkit';
import {
  createAccountDeletionDeliveryModel,
  createAccountDeletionModel,
} from '../src/accountDeletion/accountDeletion.model.js';
import { ACCOUNT_DELETION_CONSUMERS, AccountDeletions } from '../src/accountDeletion/accountDeletion.service.js';
import { loadConfig } from '../src/config.js';
import { start } from '../src/server.js';
import { createUserModel } from '../src/user/user.model.js';

const env = inject('serviceEnv');
const secret = env['JWT_SECRET'] ?? '';
const dbName = `ufe_users_deletions_${Date.now()}`;
const PASSWORD = 'long enough pw';
let users: RunningSubgraph;
let db: Connection;
/** The outbox as `deleteAccount` writes it, for deletions cut short. */
let outbox: AccountDeletions;

beforeAll(async () => {
  users = await start(loadConfig({ ...env, USERS_PORT: '0', USERS_DB: dbName }));
  db = await connectDatabase(env['MONGODB_URI'] ?? '', dbName, new Registry());
  outbox = new AccountDeletions(
    {
      deletions: createAccountDeletionModel(db),
      deliveries: createAccountDeletionDeliveryModel(db),
      users: createUserModel(db),
    },
    ACCOUNT_DELETION_CONSUMERS,
  );
});
afterAll(async () => {
  await users.dispose();
  await db.dropDatabase();
  await db.close();
});

const router = AssertionSigner.router(secret);

async function call(
  assertion: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Record<string, any>>> {
  const response = await fetch(users.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Record<string, any>>;
}

const asRouter = async (origin: Partial<RequestOrigin>, query: string, variables?: Record<string, unknown>) =>
  call(await router.sign('users', { identity: null, clientIp: '127.0.0.1', ...origin }), query, variables);

/** A consuming service calling on its own account, with its own key. */
const asService = async (service: string, query: string, variables?: Record<string, unknown>) =>
  call(
    await AssertionSigner.service(service, assertionKey(secret, service)).sign('users', {
      identity: null,
      clientIp: null,
      service,
    }),
    query,
    variables,
  );

const PENDING = /* GraphQL */ `
  query ($first: Int, $after: String) {
    pendingAccountDeletions(first: $first, after: $after) {
      events {
        id
        userId
        requestedAt
      }
      endCursor
      hasNextPage
    }
  }
`;
const ACK = 'mutation ($id: ID!) { acknowledgeAccountDeletion(id: $id) }';

let counter = 0;
async function signUp(): Promise<string> {
  const created = await asRouter({}, 'mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }', {
    i: { email: `deletion-${Date.now()}-${(counter += 1)}@example.com`, password: PASSWORD, name: 'Leaving' },
  });
  return created.data?.['signUp'].user.id as string;
}

async function deleteAccount(userId: string): Promise<void> {
  const deleted = await asRouter({ identity: { userId } }, `mutation { deleteAccount(password: "${PASSWORD}") }`);
  expect(deleted).toEqual({ data: { deleteAccount: true } });
}

/** Every event pending for `service`, paging through the whole feed `first` at a time. */
async function allPending(service: string, first = 100): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: GraphQLResponse<Record<string, any>> = await asService(service, PENDING, { first, after });
    expect(page.errors).toBeUndefined();
    const feed = page.data?.['pendingAccountDeletions'];
    ids.push(...feed.events.map((event: { id: string }) => event.id));
    if (!feed.hasNextPage) return ids;
    after = feed.endCursor;
  }
}

describe('the account-deletion feed', () => {
  it('serves each consumer its own deliveries, oldest first, until that consumer acknowledges them', async () => {
    const [first, second] = [await signUp(), await signUp()];
    await deleteAccount(first);
    await deleteAccount(second);

    const page = await asService('billing', PENDING, { first: 100 });
    const events = page.data?.['pendingAccountDeletions'].events as { id: string; userId: string }[];
    const mine = events.filter((event) => [first, second].includes(event.userId));
    expect(mine.map((event) => event.id)).toEqual([first, second]);
    expect(mine.every((event) => event.id === event.userId)).toBe(true);

    expect((await asService('billing', ACK, { id: first })).data).toEqual({ acknowledgeAccountDeletion: true });
    // Twice changes nothing.
    expect((await asService('billing', ACK, { id: first })).data).toEqual({ acknowledgeAccountDeletion: false });
    expect(await allPending('billing')).not.toContain(first);
    expect(await allPending('billing')).toContain(second);
    // Each consumer has its own deliveries: billing's acknowledgement is not flows'.
    for (const service of ['flows', 'knowledge', 'cognition']) expect(await allPending(service)).toContain(first);
  });

  it("is refused to everyone but the consuming services, users' own clients included", async () => {
    const userId = await signUp();
    for (const origin of [{}, { identity: { userId } }]) {
      expect(errorCodes(await asRouter(origin, PENDING))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await asRouter(origin, ACK, { id: userId }))).toEqual(['FORBIDDEN']);
    }
  });

  it('pages at most 100 at a time', async () => {
    expect(errorCodes(await asService('flows', PENDING, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await asService('flows', PENDING, { after: 'not a cursor' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('does not serve a deletion cut short before the user was deleted, nor let it hold up the ones behind it', async () => {
    const [alive, gone] = [await signUp(), await signUp()];
    // `deleteAccount` stopped right after writing its event: the user is still there.
    await outbox.record(alive);
    await deleteAccount(gone);

    // One delivery a page: the first one read is the living user's, served to nobody.
    const pending = await allPending('cognition', 1);
    expect(pending).toContain(gone);
    expect(pending).not.toContain(alive);
    expect((await asService('cognition', ACK, { id: alive })).data).toEqual({ acknowledgeAccountDeletion: false });
    // The user is still a user: a reference is the user, not a placeholder.
    const entity = await asRouter(
      {},
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }',
      { r: [{ __typename: 'User', id: alive }] },
    );
    expect(entity.data?.['_entities']).toEqual([{ id: alive, name: 'Leaving' }]);

    // Asked again, the deletion completes and is served.
    await deleteAccount(alive);
    expect(await allPending('cognition', 1)).toContain(alive);
  });
});
