// The users subgraph on its own (real engine, own database): entity references from the
// router are batched into one database query per request, and a deleted account's id
// resolves to a placeholder without an email.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssertionSigner, IDENTITY_HEADER, type Identity } from '../../../internal/auth/index.js';
import type { RunningSubgraph } from '../../../internal/subgraph/index.js';
import type { GraphQLResponse } from '../../../internal/testing/index.js';
import { loadConfig } from '../src/config.js';
import { start } from '../src/server.js';

const router = AssertionSigner.router(inject('serviceEnv')['JWT_SECRET'] ?? '');
let users: RunningSubgraph;

beforeAll(async () => {
  users = await start(
    loadConfig({ ...inject('serviceEnv'), USERS_PORT: '0', USERS_DB: `ufe_users_ref_${Date.now()}` }),
  );
});
afterAll(() => users.dispose());

/** One operation as the router sends it: with its assertion, for `identity` (anonymous without). */
async function asRouter(
  query: string,
  variables: Record<string, unknown>,
  identity: Identity | null = null,
): Promise<GraphQLResponse<Record<string, any>>> {
  const assertion = await router.sign('users', { identity, clientIp: '127.0.0.1' });
  const response = await fetch(users.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Record<string, any>>;
}

async function signUp(name: string): Promise<string> {
  const created = await asRouter('mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }', {
    i: { email: `ref-${name.replace(/\W/g, '')}-${Date.now()}@example.com`, password: 'long enough pw', name },
  });
  return created.data?.['signUp'].user.id as string;
}

async function findCommands(): Promise<number> {
  const text = await (await fetch(users.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^mongodb_commands_total\{command="find"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }';
const references = (ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'User', id })) });

describe('User entity references', () => {
  it('resolves a page of references with one query, in order, null for unknown ids', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(await signUp(`User ${i}`));

    const before = await findCommands();
    const result = await asRouter(ENTITIES, references([...ids, '0123456789abcdef01234567', 'not-an-id']));
    // One query for the page; the id not found costs one lookup by id (is it a deleted account?).
    expect(await findCommands()).toBe(before + 2);
    expect(result.data?.['_entities']).toEqual([...ids.map((id, i) => ({ id, name: `User ${i}` })), null, null]);
  });

  it("resolves a deleted account to a placeholder whose email nobody reads, the account's own token included", async () => {
    const id = await signUp('Soon gone');
    const deleted = await asRouter('mutation { deleteAccount(password: "long enough pw") }', {}, { userId: id });
    expect(deleted).toEqual({ data: { deleteAccount: true } });

    const result = await asRouter(ENTITIES, references([id]));
    expect(result.data?.['_entities']).toEqual([{ id, name: 'Deleted user' }]);
    const email = await asRouter(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } } }',
      references([id]),
      { userId: id },
    );
    expect(email.data?.['_entities']).toEqual([null]);
    expect(email.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    // `me` is about the caller's account, which is gone.
    expect((await asRouter('{ me { id } }', {}, { userId: id })).data).toEqual({ me: null });
  });
});
