// The users subgraph on its own (real engine, own database): Workspace references from the
// router are resolved with one query for the workspaces and one for the caller's roles,
// however many there are, and stay null unless the caller is a member.
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { Identity } from '#internal/auth';
import { ownUsersSubgraph } from './ownUsersSubgraph.js';

const { asRouter, findCommands } = ownUsersSubgraph('ufe_users_wsref');

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
