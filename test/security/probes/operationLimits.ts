// What one operation, and one WebSocket client, may cost: the same limits whichever
// transport it comes on, a frame size limit, and caps on open subscriptions.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { Probe } from '../probe.js';
import { codesOf, collect, flowWithHistory } from '../steps.js';
import { ProbeClient, type ProbeTarget } from '../target.js';

const plans = (n: number, from = 0): string =>
  Array.from({ length: n }, (_, i) => `a${i + from}: plans { id }`).join(' ');

/** Operations over a limit, each refused over HTTP today. */
const OVER_LIMITS: Record<string, string> = {
  '31 aliases': `{ ${plans(31)} }`,
  '30 aliases and one named __typename': `{ __typename: plans { id } ${plans(30)} }`,
  '5001 tokens': `{ ${Array.from({ length: 2_500 }, () => 'plans').join(' ')} }`,
  'a cost over 5000': `{ ${Array.from(
    { length: 30 },
    (_, i) =>
      `f${i}: flows(first: 100) { edges { node { nodes { id label position { x y } } edges { id } owner { id name } } } }`,
  ).join(' ')} }`,
};

async function refusedOverHttpAndWs(target: ProbeTarget): Promise<void> {
  const client = new ProbeClient(target);
  try {
    const user = await client.signUp('Limits');
    // The limit itself: 30 aliases are fine.
    const fine = await client.gql(`{ ${plans(30)} }`);
    assert.equal(fine.errors, undefined, `30 aliases were refused: ${JSON.stringify(fine.errors)}`);
    for (const [what, query] of Object.entries(OVER_LIMITS)) {
      const http = await client.gql(query, {}, user.token);
      assert.ok(http.status === 400 && !http.data, `${what} passed over HTTP (${http.status})`);
      const ws = await collect(client.ws(user.token), { query }, 2_000);
      assert.equal(ws.data.length, 0, `${what} was answered over WebSocket`);
      assert.ok(
        codesOf(ws).some((code) => code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED'),
        `${what} was not refused over WebSocket: ${JSON.stringify(ws).slice(0, 300)}`,
      );
    }
  } finally {
    await client.close();
  }
}

/** Opens `count` flowEvents subscriptions on one socket; the codes of the refusals. */
async function subscribeMany(client: ProbeClient, token: string, flowId: string, count: number) {
  const ws = client.ws(token);
  const refusals: unknown[] = [];
  for (let i = 0; i < count; i += 1) {
    ws.subscribe(
      { query: 'subscription ($id: ID!) { flowEvents(flowId: $id) { version } }', variables: { id: flowId } },
      {
        next: () => undefined,
        error: (error) => refusals.push(...codesOf({ errors: Array.isArray(error) ? error : [] })),
        complete: () => undefined,
      },
    );
  }
  return { ws, refusals };
}

export const operationLimitProbes: Probe[] = [
  {
    name: 'limits/same-operation-limits-over-http-and-websocket',
    severity: 'medium',
    run: refusedOverHttpAndWs,
  },
  {
    name: 'limits/websocket-frame-size',
    severity: 'medium',
    run: async (target) => {
      const socket = new WebSocket(target.routerUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
      const code = await Promise.race([closed, sleep(5_000, 0)]);
      socket.terminate();
      assert.equal(code, 1009, `a 2 MiB frame was taken (close code ${code})`);
    },
  },
  {
    name: 'limits/subscriptions-per-socket',
    severity: 'medium',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const user = await client.signUp('Many subscriptions');
        const flowId = await flowWithHistory(client, user, 0);
        const { ws, refusals } = await subscribeMany(client, user.token, flowId, 30);
        for (let waited = 0; waited < 5_000 && refusals.length < 5; waited += 100) await sleep(100);
        await ws.dispose();
        assert.deepEqual(refusals, Array(5).fill('RATE_LIMITED'), `refusals: ${JSON.stringify(refusals)}`);
      } finally {
        await client.close();
      }
    },
  },
  {
    name: 'limits/subscriptions-per-user',
    severity: 'medium',
    run: async (target) => {
      const client = new ProbeClient(target);
      const sockets: { dispose: () => Promise<void> | void }[] = [];
      try {
        const user = await client.signUp('Many sockets');
        const flowId = await flowWithHistory(client, user, 0);
        const all: unknown[][] = [];
        for (let i = 0; i < 5; i += 1) {
          const { ws, refusals } = await subscribeMany(client, user.token, flowId, 22);
          sockets.push(ws);
          all.push(refusals);
        }
        const count = () => all.reduce((sum, refusals) => sum + refusals.length, 0);
        for (let waited = 0; waited < 10_000 && count() < 10; waited += 100) await sleep(100);
        assert.equal(count(), 10, `110 subscriptions by one user, ${count()} refused`);
        assert.ok(all.flat().every((code) => code === 'RATE_LIMITED'));
      } finally {
        await Promise.all(sockets.map((ws) => ws.dispose()));
        await client.close();
      }
    },
  },
];
