// Rate limits at the router, on routers of their own with low limits (in front of the
// suite's subgraphs), each with its own Redis key prefix so that reruns never collide.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { gql, signUp, type GraphQLResponse, type TestUser } from '#internal/testkit';
import { freePort, waitForHttp } from '../stack/net.js';
import { nodeTs, supervise, type Supervised } from '../stack/processes.js';

const env = inject('serviceEnv');
const mainUrl = inject('routerUrl');
const REDIS_URL = env['REDIS_URL'];
const RUN = `ufe:test:ratelimit:${Date.now()}-${randomBytes(4).toString('hex')}:`;
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

interface Router {
  url: string;
  base: string;
}
const started: Supervised[] = [];

/** A router process of its own with `extra` settings, sharing the suite's subgraphs. */
async function startRouter(extra: Record<string, string>): Promise<Router> {
  const port = await freePort();
  const [command, args] = nodeTs('router/src/index.ts');
  const proc = supervise('router', command, args, { env: { ...env, ...extra, PORT: String(port) }, output: 'ignore' });
  started.push(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/ready`, 60_000, 'rate-limited router', proc.running);
  return { url: `${base}/graphql`, base };
}

/** POSTs `body` to `url` from the local address `from` (any of 127.0.0.0/8). */
function postFrom(from: string, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } });
    req.once('response', (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

const post = (url: string, body = TYPENAME, token?: string): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

/** The first result of an operation over the socket; a refused operation's errors count as its result. */
function firstResult(client: Client, query: string): Promise<GraphQLResponse> {
  return new Promise((resolve, reject) =>
    client.subscribe<Record<string, unknown>>(
      { query },
      {
        next: (result) => resolve(result as GraphQLResponse),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => reject(new Error('completed without a result')),
      },
    ),
  );
}

const codes = (result: GraphQLResponse): (string | undefined)[] =>
  (result.errors ?? []).map((error) => error.extensions?.code);

const SUBSCRIBE = 'subscription { flowEvents(flowId: "no-such-flow") { version } }';

/** Asserts a 429 with `Retry-After` and the GraphQL-shaped RATE_LIMITED body. */
async function expectRateLimited(response: Response, per: RegExp): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = (await response.json()) as GraphQLResponse;
  expect(body).toEqual({
    errors: [
      { message: expect.stringMatching(per), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } },
    ],
  });
}

const clients: Client[] = [];
/** A graphql-ws client that keeps its socket open while idle, so a close would be the server's. */
const connect = (url: string, token?: string): { client: Client; closed: () => boolean } => {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  clients.push(client);
  let closed = false;
  client.on('closed', () => (closed = true));
  return { client, closed: () => closed };
};

let byAddress: Router;
let byUser: Router;
let shared: Router[] = [];

beforeAll(async () => {
  [byAddress, byUser, ...shared] = await Promise.all([
    startRouter({
      RATE_LIMIT_IP_PER_MINUTE: '5',
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_KEY_PREFIX: `${RUN}address:`,
    }),
    startRouter({
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: '3',
      RATE_LIMIT_KEY_PREFIX: `${RUN}user:`,
    }),
    ...(REDIS_URL ? [0, 1] : []).map(() =>
      startRouter({
        RATE_LIMIT_IP_PER_MINUTE: '5',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_KEY_PREFIX: `${RUN}shared:`,
      }),
    ),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await Promise.all(started.map((proc) => proc.stop()));
});

describe('rate limit per client address', () => {
  it('refuses the 6th request in a minute with 429, Retry-After and RATE_LIMITED, over HTTP and WebSocket', async () => {
    const { url, base } = byAddress;
    const socket = connect(url);
    // 1: a subscription start counts; it gets as far as authorization (anonymous is refused there).
    expect(codes(await firstResult(socket.client, SUBSCRIBE))).toEqual(['UNAUTHENTICATED']);
    // 2-4: POST; 5: GET.
    for (let i = 0; i < 3; i += 1) expect((await post(url)).status).toBe(200);
    const get = (): Promise<Response> =>
      fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
    expect((await get()).status).toBe(200);
    // Neither the playground page nor health, readiness and metrics count.
    expect((await fetch(url, { headers: { accept: 'text/html' } })).status).toBe(200);
    for (const path of ['/health', '/ready', '/metrics']) expect((await fetch(`${base}${path}`)).status).toBe(200);

    await expectRateLimited(await post(url), /from one address/);
    await expectRateLimited(await get(), /from one address/);
    // Over WebSocket: a RATE_LIMITED result for the operation, and the socket stays open.
    const refused = await firstResult(socket.client, SUBSCRIBE);
    expect(refused.errors).toEqual([
      {
        message: expect.stringMatching(/from one address/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
      },
    ]);
    expect(codes(await firstResult(socket.client, '{ __typename }'))).toEqual(['RATE_LIMITED']);
    expect(codes(await firstResult(connect(url).client, SUBSCRIBE))).toEqual(['RATE_LIMITED']);
    expect(socket.closed()).toBe(false);

    // Another address has its own count.
    expect(await postFrom('127.0.0.2', url, TYPENAME)).toBe(200);
    // Health is never limited.
    for (let i = 0; i < 20; i += 1) expect((await fetch(`${base}/health`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^rate_limited_requests_total\{limit="ip",transport="http"[^}]*\} 2$/m);
    expect(metrics).toMatch(/^rate_limited_requests_total\{limit="ip",transport="ws"[^}]*\} 3$/m);
  });
});

describe('rate limit per signed-in user', () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([signUp(mainUrl, 'Alice'), signUp(mainUrl, 'Bob')]);
  });

  it("refuses a user's 4th request in a minute while another user and anonymous callers pass", async () => {
    const { url } = byUser;
    const me = JSON.stringify({ query: '{ me { id } }' });
    for (let i = 0; i < 3; i += 1) {
      const response = await post(url, me, alice.token);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: { id: alice.id } } });
    }
    await expectRateLimited(await post(url, me, alice.token), /per user/);
    // Over WebSocket too, keyed by the connection's user.
    expect(codes(await firstResult(connect(url, alice.token).client, SUBSCRIBE))).toEqual(['RATE_LIMITED']);

    // Bob has his own count, which his socket operations use too: 1 request + 2 on the socket.
    expect((await gql(url, '{ me { id } }', {}, bob.token)).data).toEqual({ me: { id: bob.id } });
    const bobSocket = connect(url, bob.token).client;
    expect((await firstResult(bobSocket, '{ me { id } }')).data).toEqual({ me: { id: bob.id } });
    expect(codes(await firstResult(bobSocket, SUBSCRIBE))).toEqual(['NOT_FOUND']); // reached the flows subgraph
    await expectRateLimited(await post(url, me, bob.token), /per user/);

    // The address limit is off (0): anonymous requests from the same address all pass.
    for (let i = 0; i < 10; i += 1) expect((await post(url)).status).toBe(200);
  });
});

describe.skipIf(!REDIS_URL)('rate limits shared through Redis (REDIS_URL)', () => {
  it('counts requests spread across two routers against one limit', async () => {
    const [first, second] = shared.map((router) => router.url);
    if (!first || !second) throw new Error('two routers expected');
    for (const url of [first, second, first, second, first]) expect((await post(url)).status).toBe(200);
    await expectRateLimited(await post(second), /from one address/);
    await expectRateLimited(await post(first), /from one address/);
  });
});
