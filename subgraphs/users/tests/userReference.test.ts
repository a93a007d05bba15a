// The users subgraph on its own (real engine, own database): entity references from the
// router are batched into one database query per request.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningSubgraph } from '../../../internal/subgraph/index.js';
import { gql } from '../../../internal/testing/index.js';
import { loadConfig } from '../src/config.js';
import { start } from '../src/server.js';

let users: RunningSubgraph;

beforeAll(async () => {
  users = await start(
    loadConfig({ ...inject('serviceEnv'), USERS_PORT: '0', USERS_DB: `ufe_users_ref_${Date.now()}` }),
  );
});
afterAll(() => users.dispose());

async function findCommands(): Promise<number> {
  const text = await (await fetch(users.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^mongodb_commands_total\{command="find"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

describe('User entity references', () => {
  it('resolves a page of references with one query, in order, null for unknown ids', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const created = await gql(users.url, 'mutation ($i: SignUpInput!) { signUp(input: $i) { user { id } } }', {
        i: { email: `ref-${i}-${Date.now()}@example.com`, password: 'long enough pw', name: `User ${i}` },
      });
      ids.push(created.data?.['signUp'].user.id as string);
    }
    const representations = [...ids, '0123456789abcdef01234567', 'not-an-id'].map((id) => ({ __typename: 'User', id }));

    const before = await findCommands();
    const result = await gql(
      users.url,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }',
      { r: representations },
    );
    expect(await findCommands()).toBe(before + 1);
    expect(result.data?.['_entities']).toEqual([...ids.map((id, i) => ({ id, name: `User ${i}` })), null, null]);
  });
});
