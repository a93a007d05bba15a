// A users subgraph of a test file's own (real engine, own database), asked as the router asks it.
import { afterAll, beforeAll, inject } from 'vitest';
import { AssertionSigner, IDENTITY_HEADER, type Identity } from '#internal/auth';
import type { RunningSubgraph } from '#internal/subgraph';
import type { GraphQLResponse } from '#internal/testkit';
import { loadConfig } from '../src/config.js';
import { start } from '../src/server.js';

export type AsRouter = (
  query: string,
  variables: Record<string, unknown>,
  identity?: Identity | null,
) => Promise<GraphQLResponse<Record<string, any>>>;

export interface OwnUsersSubgraph {
  /** One operation as the router sends it: with its assertion, for `identity` (anonymous without). */
  asRouter: AsRouter;
  /** The subgraph's count of `find` commands so far. */
  findCommands: () => Promise<number>;
}

/** Starts the subgraph before the file's tests (database `<dbPrefix>_<time>`) and stops it after. */
export function ownUsersSubgraph(dbPrefix: string): OwnUsersSubgraph {
  const router = AssertionSigner.router(inject('serviceEnv')['JWT_SECRET'] ?? '');
  let users: RunningSubgraph;
  beforeAll(async () => {
    users = await start(
      loadConfig({ ...inject('serviceEnv'), USERS_PORT: '0', USERS_DB: `${dbPrefix}_${Date.now()}` }),
    );
  });
  afterAll(() => users.dispose());
  return {
    asRouter: async (query, variables, identity = null) => {
      const assertion = await router.sign('users', { identity, clientIp: '127.0.0.1' });
      const response = await fetch(users.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<Record<string, any>>;
    },
    findCommands: async () => {
      const text = await (await fetch(users.url.replace(/\/graphql$/, '/metrics'))).text();
      return Number(/^mongodb_commands_total\{command="find"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    },
  };
}
