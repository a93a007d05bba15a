// The users subgraph on its own (real engine, own database): Workspace references from the
// router are resolved with one query for the workspaces and one for the caller's roles,
// however many there are, and stay null unless the caller is a member.
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
    loadConfig({ ...inject('serviceEnv'), USERS_PORT: '0', USERS_DB: `ufe_users_wsref_${Date.now()}` }),
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

async function signUp(name: string): Promise<Identity> {
  const created = await asRouter('mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }', {
    i: { email: `wsref-${name.replace(/\W/g, '')}-${Date.now()}@example.com`, password: 'long enough pw', name },
  });
  return { userId: created.data?.['signUp'].user.id as string };
}

async function createWorkspace(owner: Identity, name: string): Promise<string> {
  const created = await asRouter(
    'mutation ($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }',
    { i: { name } },
    owner,
  );
  return created.data?.['createWorkspace'].id as string;
}

async function findCommands(): Promise<number> {
  const text = await (await fetch(users.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^mongodb_commands_total\{command="find"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Workspace { id name myRole } } }';
const references = (ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Workspace', id })) });

describe('Workspace entity references', () => {
  it("resolves a page of references with one query for workspaces and one for the caller's roles", async () => {
    const [ada, bob] = [await signUp('Ada'), await signUp('Bob')];
    const own: string[] = [];
    for (let i = 0; i < 5; i += 1) own.push(await createWorkspace(ada, `Team ${i}`));
    const others = await createWorkspace(bob, 'Not Ada’s');

    const before = await findCommands();
    const result = await asRouter(ENTITIES, references([...own, others, '0123456789abcdef01234567', 'bad']), ada);
    expect(await findCommands()).toBe(before + 2);
    expect(result.errors).toBeUndefined();
    expect(result.data?.['_entities']).toEqual([
      ...own.map((id, i) => ({ id, name: `Team ${i}`, myRole: 'OWNER' })),
      // Not a member, unknown, malformed: no workspace at all.
      null,
      null,
      null,
    ]);

    const anonymous = await asRouter(ENTITIES, references(own), null);
    expect(anonymous.data?.['_entities']).toEqual(own.map(() => null));
  });
});
