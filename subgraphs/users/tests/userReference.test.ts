// The users subgraph on its own (real engine, own database): entity references from the
// router are batched into one database query per request, and a deleted account's id
// resolves to a placeholder without an email.
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ownUsersSubgraph } from './ownUsersSubgraph.js';

const { asRouter, findCommands } = ownUsersSubgraph('ufe_users_ref');

async function signUp(name: string): Promise<string> {
  const created = await asRouter('mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }', {
    i: { email: `ref-${name.replace(/\W/g, '')}-${Date.now()}@example.com`, password: 'long enough pw', name },
  });
  return created.data?.['signUp'].user.id as string;
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
