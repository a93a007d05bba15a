// flowEvents is a `@fanOut` field: the router subscribes once per flow and selection and
// serves every subscriber from that upstream, checking each one with the field's guard.
// A private router and flows instance, so the counts below are this file's alone.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { AssertionSigner, IDENTITY_HEADER } from '#internal/auth';
import { deferred, errorCodes, gql, signUp, wsClient, type GraphQLResponse, type TestUser } from '#internal/testkit';
import { coworkers } from './setup/flowSharing.js';
import { startPrivateFlows } from './setup/privateStack.js';

const EVENTS = 'subscription ($flowId: ID!) { flowEvents(flowId: $flowId) { version clientId } }';
const EVENTS_WITH_OPS = 'subscription ($flowId: ID!) { flowEvents(flowId: $flowId) { version ops { kind } } }';
const REPLAY =
  'subscription ($flowId: ID!, $since: Int) { flowEvents(flowId: $flowId, sinceVersion: $since) { version } }';
const CREATE_FLOW = 'mutation { createFlow(input: { name: "Fan-out" }) { id } }';
const SHARE =
  'mutation ($flowId: ID!, $userId: ID!) { shareFlow(flowId: $flowId, userId: $userId, role: VIEWER) { role } }';
const UNSHARE = 'mutation ($flowId: ID!, $userId: ID!) { unshareFlow(flowId: $flowId, userId: $userId) }';
const ADD_NODE = /* GraphQL */ `
  mutation ($flowId: ID!, $label: String!) {
    applyFlowOps(flowId: $flowId, ops: [{ kind: ADD_NODE, node: { type: "screen", label: $label } }]) {
      version
    }
  }
`;

let routerUrl = '';
let flowsUrl = '';
let stop: () => Promise<void> = () => Promise.resolve();
beforeAll(async () => {
  ({ routerUrl, flowsUrl, stop } = await startPrivateFlows());
}, 120_000);
afterAll(() => stop());

/** Polls until it holds: generous, as a loaded machine answers slowly (a fresh router plans each operation once). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await eventually(upstreamsAtFlows).toBe(0);
  await eventually(() => routerGauge('router_fanout_subscribers')).toBe(0);
});

async function gauge(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}
/** Subscriptions open at the flows subgraph: what the router holds upstream. */
const upstreamsAtFlows = () => gauge(flowsUrl.replace(/\/graphql$/, '/metrics'), 'flow_event_subscribers');
const routerGauge = (name: string) => gauge(routerUrl.replace(/\/graphql$/, '/metrics'), name);

interface Stream {
  versions: number[];
  errors: (string | undefined)[][];
  ended: Promise<void>;
}

function subscribe(user: TestUser, query: string, variables: Record<string, unknown>): Stream {
  const client = wsClient(routerUrl, user.token);
  clients.push(client);
  const stream: Stream = { versions: [], errors: [], ended: Promise.resolve() };
  const ended = deferred<void>();
  stream.ended = ended.promise;
  client.subscribe<{ flowEvents: { version: number } }>(
    { query, variables },
    {
      next: (result) => {
        if (result.data) stream.versions.push(result.data.flowEvents.version);
        else stream.errors.push(errorCodes(result as GraphQLResponse<unknown>));
      },
      error: ended.reject,
      complete: ended.resolve,
    },
  );
  return stream;
}

async function mutate(query: string, variables: Record<string, unknown>, token: string) {
  const response = await gql(routerUrl, query, variables, token);
  expect(response.errors).toBeUndefined();
  return response.data as Record<string, { id?: string; version?: number }>;
}

async function sharedFlow(viewers: number): Promise<{ owner: TestUser; flowId: string; viewers: TestUser[] }> {
  const owner = await signUp(routerUrl, 'Owner');
  const flowId = (await mutate(CREATE_FLOW, {}, owner.token))['createFlow']?.id as string;
  const users = await Promise.all(Array.from({ length: viewers }, (_, i) => signUp(routerUrl, `Viewer ${i}`)));
  await coworkers(routerUrl, owner, users);
  for (const user of users) await mutate(SHARE, { flowId, userId: user.id }, owner.token);
  return { owner, flowId, viewers: users };
}

const addNode = async (flowId: string, owner: TestUser, label: string): Promise<number> =>
  (await mutate(ADD_NODE, { flowId, label }, owner.token))['applyFlowOps']?.version as number;

describe('flowEvents fan-out at the router', () => {
  it('serves every subscriber of a flow and selection from one upstream subscription, each getting every event', async () => {
    const { owner, flowId, viewers } = await sharedFlow(3);
    const streams = [owner, ...viewers].map((user) => subscribe(user, EVENTS, { flowId }));
    await eventually(() => routerGauge('router_fanout_subscribers')).toBe(4);
    await eventually(upstreamsAtFlows).toBe(1);
    expect(await routerGauge('router_fanout_upstreams')).toBe(1);

    // Another selection is another upstream; so is a replay (it starts somewhere else).
    const withOps = subscribe(viewers[0] as TestUser, EVENTS_WITH_OPS, { flowId });
    await eventually(upstreamsAtFlows).toBe(2);
    for (let i = 1; i <= 3; i += 1) expect(await addNode(flowId, owner, `n${i}`)).toBe(i);
    const replay = subscribe(viewers[1] as TestUser, REPLAY, { flowId, since: 1 });
    await eventually(upstreamsAtFlows).toBe(3);
    expect(await routerGauge('router_fanout_upstreams')).toBe(3);

    for (const stream of [...streams, withOps]) {
      await eventually(() => stream.versions).toEqual([1, 2, 3]);
    }
    await eventually(() => replay.versions).toEqual([2, 3]);
    expect(await addNode(flowId, owner, 'n4')).toBe(4);
    for (const stream of [...streams, withOps, replay]) await eventually(() => stream.versions.at(-1)).toBe(4);
    expect([...streams, withOps, replay].flatMap((stream) => stream.errors)).toEqual([]);
  });

  it("completes fields from other subgraphs as each subscriber: one's never reach another", async () => {
    const { owner, flowId, viewers } = await sharedFlow(2);
    const query = /* GraphQL */ `
      subscription ($flowId: ID!) {
        flowEvents(flowId: $flowId) {
          version
          author {
            id
            twoFactorEnabled
          }
        }
      }
    `;
    const received = new Map<TestUser, GraphQLResponse[]>();
    // The author among the viewers, in both orders: who is completed first must not matter.
    for (const user of [viewers[0], owner, viewers[1]] as TestUser[]) {
      const client = wsClient(routerUrl, user.token);
      clients.push(client);
      received.set(user, []);
      client.subscribe(
        { query, variables: { flowId } },
        {
          next: (message) => received.get(user)?.push(message as GraphQLResponse),
          error: () => undefined,
          complete: () => undefined,
        },
      );
    }
    await eventually(() => routerGauge('router_fanout_subscribers')).toBe(3);
    await eventually(upstreamsAtFlows).toBe(1);
    await addNode(flowId, owner, 'by the owner');
    for (const user of received.keys()) await eventually(() => received.get(user)?.length).toBe(1);

    const [own] = received.get(owner) ?? [];
    expect(own?.data).toEqual({ flowEvents: { version: 1, author: { id: owner.id, twoFactorEnabled: false } } });
    for (const viewer of viewers) {
      const [event] = received.get(viewer) ?? [];
      // Only the user reads their two-factor status: the viewer's `author` is nulled, with the reason.
      expect(event?.data).toEqual({ flowEvents: { version: 1, author: null } });
      expect(errorCodes(event as GraphQLResponse)).toEqual(['FORBIDDEN']);
    }
  });

  it('refuses a subscriber the guard does not let in, without opening anything upstream', async () => {
    const { flowId } = await sharedFlow(0);
    const stranger = await signUp(routerUrl, 'Stranger');
    const stream = subscribe(stranger, EVENTS, { flowId });
    await stream.ended;
    expect(stream.errors).toEqual([['NOT_FOUND']]);
    expect(await upstreamsAtFlows()).toBe(0);
    expect(await routerGauge('router_fanout_upstreams')).toBe(0);
  });

  it("ends the stream of a subscriber who loses access, and no one else's", async () => {
    const { owner, flowId, viewers } = await sharedFlow(2);
    const [leaving, staying] = viewers as [TestUser, TestUser];
    const streams = [owner, leaving, staying].map((user) => subscribe(user, EVENTS, { flowId }));
    await eventually(() => routerGauge('router_fanout_subscribers')).toBe(3);
    await eventually(upstreamsAtFlows).toBe(1);
    const [ownerStream, leavingStream, stayingStream] = streams as [Stream, Stream, Stream];
    let version = await addNode(flowId, owner, 'before');
    await eventually(() => leavingStream.versions).toEqual([1]);

    await mutate(UNSHARE, { flowId, userId: leaving.id }, owner.token);
    // Events keep flowing; the router re-checks each subscriber while they do.
    let ended = false;
    void leavingStream.ended.then(() => (ended = true));
    for (let i = 0; !ended && i < 60; i += 1) {
      version = await addNode(flowId, owner, `after ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ended).toBe(true);
    expect(leavingStream.errors).toEqual([['NOT_FOUND']]);
    // Everyone else still has every event, from the one upstream.
    for (const stream of [ownerStream, stayingStream]) {
      await eventually(() => stream.versions.length).toBe(version);
      expect(stream.versions).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    }
    expect(await upstreamsAtFlows()).toBe(1);
    expect(await routerGauge('router_fanout_subscribers')).toBe(2);
  });

  it("gives the router's fan-out assertion nothing but @fanOut subscriptions at the subgraph", async () => {
    const { flowId } = await sharedFlow(0);
    const assertion = await AssertionSigner.router(inject('serviceEnv')['JWT_SECRET'] ?? '').sign('flows', {
      identity: null,
      clientIp: null,
      fanOut: { field: 'flowEvents', args: { flowId } },
    });
    const ask = async (query: string) => {
      const response = await fetch(flowsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
        body: JSON.stringify({ query, variables: { flowId } }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    expect((await ask('query ($flowId: ID!) { flow(id: $flowId) { id } }')).data).toEqual({ flow: null });
    expect(errorCodes(await ask('{ flows { edges { node { id } } } }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await ask('mutation ($flowId: ID!) { deleteFlow(id: $flowId) }'))).toEqual(['UNAUTHENTICATED']);
  });
});
