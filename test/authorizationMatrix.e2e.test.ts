// The authorization matrix, generated from the API schema the router serves: every field
// reachable from every root field × {anonymous, viewer, editor, admin, other}, compared
// with the reviewed table in test/authorization/matrix.md. A root field without a fixture,
// a field no row reaches, or a row not in the table fails. After a deliberate change:
//
//   UPDATE_AUTHZ_MATRIX=1 npx vitest run test/authorizationMatrix.e2e.test.ts
//
// rewrites matrix.md; review its diff like code (an `ok` for anonymous or other on
// anything of W is a leak).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, gql, wsClient } from '#internal/testkit';
import { As, fixtures, nestedArguments, runLast, triggers, type Variables } from './authorization/fixtures.js';
import { buildOperations, schemaFields, variableName, type MatrixOperation } from './authorization/operations.js';
import {
  diffMatrix,
  outcomesOf,
  parseMatrix,
  renderMatrix,
  type Matrix,
  type MatrixResponse,
  type Outcome,
} from './authorization/outcomes.js';
import { createWorld, patiently, ROLES, type Role, type World } from './authorization/world.js';

const url = inject('routerUrl');
const MATRIX_FILE = fileURLToPath(new URL('./authorization/matrix.md', import.meta.url));
const UPDATE = process.env['UPDATE_AUTHZ_MATRIX'] === '1';

/**
 * Object fields no operation can select, each with the reason. Keep it empty: a field
 * listed here is outside the matrix.
 */
const UNREACHABLE: ReadonlySet<string> = new Set<string>([]);

interface Call {
  token: string | undefined;
  /** Each root field's arguments (the fixtures' variables). */
  args: Record<string, Variables>;
}

/**
 * One call of `op` as `role`: every root field's fixture. A fixture may send its call as a
 * fresh user in the role's place (`As`), which only an operation of one root field can do.
 */
async function prepare(world: World, op: MatrixOperation, role: Role): Promise<Call> {
  const made = await Promise.all(
    op.roots.map(async (root) => {
      const fixture = fixtures[root];
      if (!fixture) throw new Error(`no fixture for ${root} in test/authorization/fixtures.ts`);
      return [root, await fixture(world, role)] as const;
    }),
  );
  const [sender] = made.flatMap(([root, call]) => (call instanceof As ? [{ root, user: call.user }] : []));
  if (sender && (role === 'anonymous' || op.roots.length > 1)) {
    throw new Error(`${sender.root}: a fixture for ${role} cannot send its call as someone else`);
  }
  const args = Object.fromEntries(made.map(([root, call]) => [root, call instanceof As ? call.variables : call]));
  return { token: sender ? sender.user.token : world.tokenOf(role), args };
}

/** Responses that mean the matrix itself is broken (not an authorization outcome) stop the test. */
function check(op: MatrixOperation, role: Role, response: MatrixResponse): MatrixResponse {
  const broken = (response.errors ?? []).filter(
    ({ extensions, path }) =>
      extensions?.code === 'RATE_LIMITED' ||
      extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ||
      extensions?.code === 'GRAPHQL_PARSE_FAILED' ||
      (extensions?.code === 'BAD_USER_INPUT' && !path),
  );
  if (broken.length > 0) throw new Error(`${op.name} as ${role}: ${JSON.stringify(broken)}`);
  return response;
}

/** The operation's text and variables for `call`, without the excluded rows. */
function request(op: MatrixOperation, call: Call, exclude: ReadonlySet<string>) {
  const names = Object.fromEntries(Object.entries(call.args).map(([root, vars]) => [root, Object.keys(vars)]));
  const variables = Object.fromEntries(
    Object.entries(call.args).flatMap(([root, vars]) =>
      Object.entries(vars).map(([arg, value]) => [variableName(root, arg), value]),
    ),
  );
  return { query: op.text(names, exclude), variables };
}

async function send(op: MatrixOperation, call: Call, exclude: ReadonlySet<string>): Promise<MatrixResponse> {
  const { query, variables } = request(op, call, exclude);
  return gql(url, query, variables, call.token);
}

/** The same call as `send`, as a query over graphql-ws: the one answer it gets. */
async function sendOverWs(op: MatrixOperation, call: Call, exclude: ReadonlySet<string>): Promise<MatrixResponse> {
  const client = wsClient(url, call.token);
  const answer = deferred<MatrixResponse>();
  client.subscribe(request(op, call, exclude), {
    next: (message) => answer.resolve(message as MatrixResponse),
    error: (error) => answer.resolve(asResponse(error)),
    complete: () => answer.resolve({ errors: [{ message: 'no answer', extensions: { code: 'NO_EVENT' } }] }),
  });
  try {
    return await answer.promise;
  } finally {
    await client.dispose();
  }
}

/** A graphql-ws `error` sink's argument as a response: GraphQL errors, a close, or a client error. */
function asResponse(error: unknown): MatrixResponse {
  if (Array.isArray(error)) return { errors: error as MatrixResponse['errors'] };
  const close = error as { code?: number; reason?: string; message?: string };
  if (typeof close.code === 'number') {
    return { errors: [{ message: close.reason ?? '', extensions: { code: `WS_CLOSED_${close.code}` } }] };
  }
  return { errors: [{ message: String(close.message ?? error), extensions: { code: 'WS_ERROR' } }] };
}

/**
 * Subscribes as one role and fires the fixture's trigger until the first message (or the
 * refusal) arrives; a few seconds without one is `NO_EVENT`.
 */
async function firstMessage(
  world: World,
  op: MatrixOperation,
  call: Call,
  exclude: ReadonlySet<string>,
): Promise<MatrixResponse> {
  const trigger = triggers[op.name];
  if (!trigger) throw new Error(`no trigger for ${op.name} in test/authorization/fixtures.ts`);
  const client = wsClient(url, call.token);
  const first = deferred<MatrixResponse>();
  client.subscribe(request(op, call, exclude), {
    next: (message) => {
      const data = message.data as Record<string, unknown> | null | undefined;
      if (!data || !trigger.isEvent || trigger.isEvent(data)) first.resolve(message as MatrixResponse);
    },
    error: (error) => first.resolve(asResponse(error)),
    complete: () => first.resolve({ errors: [{ message: 'completed', extensions: { code: 'NO_EVENT' } }] }),
  });
  let received = false;
  void first.promise.then(() => (received = true));
  await sleep(300); // the subscription reaches the subgraph
  for (let tries = 0; tries < 20 && !received; tries += 1) {
    await trigger.fire(world);
    await Promise.race([first.promise, sleep(250)]);
  }
  const none: MatrixResponse = { errors: [{ message: 'no event', extensions: { code: 'NO_EVENT' } }] };
  const response = await Promise.race([first.promise, sleep(0, none)]);
  await client.dispose();
  return response;
}

type Transport = 'http' | 'ws';

/**
 * Every role's outcomes for `op`, the roles in parallel; each round prepares a fresh call.
 * Queries go over HTTP, subscriptions over WebSocket; `transport` sends queries over
 * WebSocket too, where every outcome must be the same.
 */
async function run(
  world: World,
  op: MatrixOperation,
  transport: Transport = 'http',
): Promise<Record<Role, Map<string, Outcome>>> {
  const byRole = await Promise.all(
    ROLES.map((role) =>
      outcomesOf(op, async (exclude) => {
        const response = await patiently(async () => {
          const call = await prepare(world, op, role);
          if (op.kind === 'Subscription') return firstMessage(world, op, call, exclude);
          return transport === 'ws' ? sendOverWs(op, call, exclude) : send(op, call, exclude);
        });
        return check(op, role, response);
      }),
    ),
  );
  return Object.fromEntries(ROLES.map((role, i) => [role, byRole[i]])) as Record<Role, Map<string, Outcome>>;
}

function record(matrix: Matrix, op: MatrixOperation, outcomes: Record<Role, Map<string, Outcome>>): void {
  for (const row of op.rows) {
    matrix.set(
      row.path,
      Object.fromEntries(ROLES.map((role) => [role, outcomes[role].get(row.path) ?? '?'])) as Record<Role, Outcome>,
    );
  }
}

describe('the authorization matrix', () => {
  let schema: GraphQLSchema;
  let operations: MatrixOperation[];

  beforeAll(async () => {
    const introspection = await gql<IntrospectionQuery>(url, getIntrospectionQuery());
    if (!introspection.data) throw new Error(`introspection failed: ${JSON.stringify(introspection.errors)}`);
    schema = buildClientSchema(introspection.data);
    operations = buildOperations(schema, nestedArguments);
  });

  it('has a fixture for every root field', () => {
    const roots = new Set(operations.flatMap((op) => op.roots));
    const missing = [...roots].filter((root) => !(root in fixtures));
    expect(missing, 'add an entry for each to `fixtures` in test/authorization/fixtures.ts').toEqual([]);
    const stale = Object.keys(fixtures).filter((root) => !roots.has(root));
    expect(stale, 'no such root field in the schema: remove its fixture').toEqual([]);
    const subscriptions = operations.filter((op) => op.kind === 'Subscription' && !(op.name in triggers));
    expect(
      subscriptions.map((op) => op.name),
      'add a trigger to test/authorization/fixtures.ts',
    ).toEqual([]);
  });

  it('reaches every field of every object type', () => {
    const reached = new Set(operations.flatMap((op) => op.rows.map((row) => row.field)));
    const unreached = schemaFields(schema).filter((field) => !reached.has(field) && !UNREACHABLE.has(field));
    expect(unreached, 'no row selects these fields: raise MAX_DEPTH or list them in UNREACHABLE').toEqual([]);
  });

  it('matches test/authorization/matrix.md', async () => {
    const world = await createWorld(url, (root) => operations.some((op) => op.roots.includes(root)));
    const actual: Matrix = new Map();

    // Reads first, then subscriptions, then mutations one root field at a time (the `runLast`
    // ones at the end), so that what each reads back (W's members, its audit log) is the
    // same every run.
    const kind = (k: string) => operations.filter((op) => op.kind === k);
    const mutations = kind('Mutation');
    const last = mutations.filter((op) => runLast.has(op.name));
    const ordered = [
      ...kind('Query'),
      ...kind('Subscription'),
      ...mutations.filter((op) => !last.includes(op)),
      ...last,
    ];
    const overWs: string[] = [];
    for (const op of ordered) {
      const outcomes = await run(world, op);
      record(actual, op, outcomes);
      // One path for every check: a query's outcomes over WebSocket are its outcomes over HTTP.
      if (op.kind === 'Query') {
        const ws = await run(world, op, 'ws');
        for (const role of ROLES) {
          for (const [path, outcome] of outcomes[role]) {
            if (ws[role].get(path) !== outcome)
              overWs.push(`${path} as ${role}: ${outcome} over HTTP, ${ws[role].get(path)} over WebSocket`);
          }
        }
      }
    }
    expect(overWs, 'queries must get the same outcomes over HTTP and WebSocket').toEqual([]);

    if (UPDATE || !existsSync(MATRIX_FILE)) {
      await writeFile(MATRIX_FILE, renderMatrix(actual));
      expect(UPDATE, 'test/authorization/matrix.md did not exist: written; review it and run again').toBe(true);
      return;
    }
    const differences = diffMatrix(parseMatrix(await readFile(MATRIX_FILE, 'utf8')), actual);
    expect(
      differences,
      'the outcomes differ from test/authorization/matrix.md; if that is intended, run UPDATE_AUTHZ_MATRIX=1 npx vitest run test/authorizationMatrix.e2e.test.ts and review the diff',
    ).toEqual([]);
  }, 180_000);
});
