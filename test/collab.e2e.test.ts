// Real-time collaboration through the real router: the Yjs sync protocol (flowSync,
// pushFlowUpdate, flowEvents with update and sinceVersion), then the convergence test —
// ten clients, two of them syncing the CRDT directly, 1000+ random conflicting ops — also
// with the flows subgraph killed and restarted in the middle.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { deferred, errorCodes, gql, signUp, wsClient } from '#internal/testkit';
import { FLOW, SYNC, runConvergence, type ConvergenceReport, type FlowEvent } from './collab/simulation.js';
import { startCollabStack } from './setup/privateStack.js';

const url = inject('routerUrl');

const APPLY = /* GraphQL */ `
  mutation ($flowId: ID!, $ops: [FlowOpInput!]!) {
    applyFlowOps(flowId: $flowId, ops: $ops) {
      version
    }
  }
`;
const PUSH = /* GraphQL */ `
  mutation ($flowId: ID!, $update: String!) {
    pushFlowUpdate(flowId: $flowId, update: $update, clientId: "rich") {
      version
      flow {
        edges {
          id
        }
      }
    }
  }
`;
const EVENTS = /* GraphQL */ `
  subscription ($flowId: ID!, $since: Int) {
    flowEvents(flowId: $flowId, sinceVersion: $since) {
      version
      clientId
      update
      ops {
        kind
        nodeId
        edgeId
      }
    }
  }
`;

async function createFlow(token: string): Promise<string> {
  const created = await gql(url, `mutation { createFlow(input: { name: "Collab" }) { id } }`, {}, token);
  return created.data?.['createFlow'].id as string;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('collaboration protocol through the router', () => {
  it('syncs a Yjs copy, merges its offline update, and broadcasts it like applyFlowOps', async () => {
    const user = await signUp(url);
    const flowId = await createFlow(user.token);
    await gql(
      url,
      APPLY,
      {
        flowId,
        ops: [
          { kind: 'ADD_NODE', node: { id: 'a', type: 'start', label: 'A', size: { width: 10, height: 20 } } },
          { kind: 'ADD_NODE', node: { id: 'b', type: 'my-step', label: 'B' } },
        ],
      },
      user.token,
    );
    const synced = await gql(url, SYNC, { id: flowId }, user.token);
    const { update, version } = synced.data?.['flowSync'] as { update: string; version: number };
    expect(version).toBe(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Buffer.from(update, 'base64'));
    const sv = Y.encodeStateVector(copy);
    // Offline: an edge to b, while b is deleted online.
    copy.getMap<Y.Map<unknown>>('edges').set(
      'ab',
      new Y.Map<unknown>([
        ['source', 'a'],
        ['target', 'b'],
        ['condition', 'signed in'],
      ]),
    );
    copy.getMap<Y.Map<unknown>>('nodes').get('a')?.set('label', 'Start here');
    expect(
      (await gql(url, APPLY, { flowId, ops: [{ kind: 'DELETE_NODE', nodeId: 'b' }] }, user.token)).errors,
    ).toBeUndefined();

    const events: FlowEvent[] = [];
    const client = wsClient(url, user.token);
    const third = deferred<void>();
    client.subscribe<{ flowEvents: FlowEvent }>(
      { query: EVENTS, variables: { flowId, since: 0 } },
      {
        next: (result) => {
          if (result.data) events.push(result.data.flowEvents);
          if (events.length === 3) third.resolve();
        },
        error: third.reject,
        complete: () => undefined,
      },
    );
    const pushed = await gql(url, PUSH, { flowId, update: b64(Y.encodeStateAsUpdate(copy, sv)) }, user.token);
    expect(pushed.data?.['pushFlowUpdate']).toEqual({ version: 3, flow: { edges: [] } });
    await third.promise;
    // Replayed from the log (v1, v2), then live (v3), each once and in order.
    expect(events.map((event) => [event.version, event.clientId, event.ops.map((op) => op.kind)])).toEqual([
      [1, null, ['ADD_NODE', 'ADD_NODE']],
      [2, null, ['DELETE_NODE']],
      [3, 'rich', ['UPDATE_NODE']],
    ]);
    // The events' updates rebuild the document on their own.
    const rebuilt = new Y.Doc();
    for (const event of events) Y.applyUpdate(rebuilt, Buffer.from(event.update, 'base64'));
    const flow = await gql(
      url,
      `query ($id: ID!) { flow(id: $id) { version nodes { id type label size { width height } } edges { id } } }`,
      { id: flowId },
      user.token,
    );
    expect(flow.data?.['flow']).toEqual({
      version: 3,
      nodes: [{ id: 'a', type: 'start', label: 'Start here', size: { width: 10, height: 20 } }],
      edges: [],
    });
    expect([...rebuilt.getMap('nodes').keys()]).toEqual(['a']);
    expect([...rebuilt.getMap('edges').keys()]).toEqual([]);
    await client.dispose();
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field, and strangers with NOT_FOUND', async () => {
    const user = await signUp(url);
    const stranger = await signUp(url);
    const flowId = await createFlow(user.token);
    const refused = await gql(
      url,
      APPLY,
      {
        flowId,
        ops: [
          { kind: 'ADD_NODE', node: { id: 'ok', type: 'screen', label: 'ok' } },
          { kind: 'ADD_NODE', node: { type: 'Bad Type', label: 'x' } },
        ],
      },
      user.token,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ops[1].type' });
    const huge = { kind: 'ADD_NODE', node: { type: 'note', label: 'x', data: { blob: 'x'.repeat(17_000) } } };
    expect((await gql(url, APPLY, { flowId, ops: [huge] }, user.token)).errors?.[0]?.extensions).toMatchObject({
      field: 'ops[0].data',
    });
    expect(errorCodes(await gql(url, PUSH, { flowId, update: '***' }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, PUSH, { flowId, update: 'AQID' }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, SYNC, { id: flowId, sv: '!!' }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, SYNC, { id: flowId }, stranger.token))).toEqual(['NOT_FOUND']);
    const update = b64(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(errorCodes(await gql(url, PUSH, { flowId, update }, stranger.token))).toEqual(['NOT_FOUND']);
    expect((await gql(url, FLOW, { id: flowId }, user.token)).data?.['flow']).toMatchObject({ version: 0, nodes: [] });
  });
});

function expectConverged(report: ConvergenceReport, minOps: number): void {
  const summary = { ...report, states: report.states.map((s) => s.who) };
  console.info('convergence', JSON.stringify(summary));
  expect(report.problems).toEqual([]);
  expect(report.ops).toBeGreaterThanOrEqual(minOps);
  const [reference, ...others] = report.states;
  for (const other of others)
    expect({ who: other.who, state: other.state }).toEqual({ who: other.who, state: reference?.state });
}

describe('convergence: 10 clients, 1000+ random concurrent ops through a real router', () => {
  let stack: Awaited<ReturnType<typeof startCollabStack>> | undefined;

  beforeAll(async () => {
    stack = await startCollabStack(1);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('ends with every client, flow(id) and a fresh flowSync identical, every acknowledged op reflected', async () => {
    const user = await signUp(url);
    const report = await runConvergence({
      routerUrls: stack?.routerUrls ?? [],
      token: user.token,
      clients: 10,
      richClients: 2,
      ops: 1_000,
      seed: 1,
    });
    expectConverged(report, 1_000);
    expect(report.rejected).toBeGreaterThan(0); // conflicting ops were really sent
  }, 180_000);

  it('converges the same with the flows subgraph killed and restarted in the middle', async () => {
    const user = await signUp(url);
    const flows = stack?.flows[0];
    const report = await runConvergence({
      routerUrls: stack?.routerUrls ?? [],
      token: user.token,
      clients: 10,
      richClients: 2,
      ops: 1_000,
      seed: 2,
      midway: () => flows?.crashAndRestart() ?? Promise.resolve(),
    });
    expectConverged(report, 1_000);
    expect(report.resubscriptions).toBeGreaterThanOrEqual(10);
  }, 240_000);
});
