import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { TokenService } from '#internal/auth';
import { deferred, errorCodes, gql, signUp, wsClient } from '#internal/testkit';
import { startPrivateFlows } from './setup/privateStack.js';

// A router and flows instance of this file's own: the upstream counts below would otherwise
// include other files' subscriptions running at the same time.
let url = '';
let flowsMetrics = '';
let stopPrivate: () => Promise<void> = () => Promise.resolve();
beforeAll(async () => {
  const { routerUrl, flowsUrl, stop } = await startPrivateFlows();
  [url, flowsMetrics, stopPrivate] = [routerUrl, flowsUrl.replace(/\/graphql$/, '/metrics'), stop];
}, 120_000);
afterAll(() => stopPrivate());

const EVENTS = /* GraphQL */ `
  subscription ($flowId: ID!) {
    flowEvents(flowId: $flowId) {
      flowId
      version
      clientId
      ops {
        kind
        nodeId
        edgeId
        node {
          id
          type
          label
          position {
            x
            y
          }
          data
        }
        edge {
          id
          source
          target
          label
        }
      }
      author {
        id
        name
      }
    }
  }
`;
const APPLY = /* GraphQL */ `
  mutation ($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {
    applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {
      version
    }
  }
`;

interface FlowEvent {
  flowId: string;
  version: number;
  clientId: string | null;
  ops: {
    kind: string;
    nodeId: string | null;
    edgeId: string | null;
    node: { id: string; type: string; label: string; position: { x: number; y: number }; data: unknown } | null;
    edge: { id: string; source: string; target: string; label: string | null } | null;
  }[];
  author: { id: string; name: string } | null;
}

const clients: Client[] = [];
let open = 0;

/** Open flowEvents subscriptions on the flows subgraph, from its own metrics. */
async function upstreamSubscribers(): Promise<number> {
  const text = await (await fetch(flowsMetrics)).text();
  return Number(/^flow_event_subscribers(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  open = 0;
  // Closing a client must close its upstream subscription too.
  await expect.poll(upstreamSubscribers, { timeout: 10_000 }).toBe(0);
});

function connect(token?: string): Client {
  const client = wsClient(url, token);
  clients.push(client);
  return client;
}

/**
 * Subscribes; unless the subscription is expected to be refused, resolves once the
 * flows subgraph has it open (graphql-ws has no subscribe acknowledgement).
 */
async function subscribe(
  client: Client,
  flowId: string,
  onEvent: (event: FlowEvent) => void,
  onError?: (e: unknown) => void,
  refused = false,
) {
  client.subscribe<{ flowEvents: FlowEvent }>(
    { query: EVENTS, variables: { flowId } },
    {
      next: (result) => {
        if (result.data) onEvent(result.data.flowEvents);
        else onError?.(result.errors);
      },
      error: (error) => onError?.(error),
      complete: () => undefined,
    },
  );
  if (!refused) {
    open += 1;
    await expect.poll(upstreamSubscribers, { timeout: 10_000 }).toBe(open);
  }
}

async function createFlow(token: string): Promise<string> {
  const created = await gql(url, `mutation { createFlow(input: { name: "Live" }) { id } }`, {}, token);
  return created.data?.['createFlow'].id as string;
}

describe('flowEvents through the router', () => {
  it("delivers another client's ops with the author resolved by the users subgraph", async () => {
    const user = await signUp(url, 'Linus');
    const flowId = await createFlow(user.token);
    const received = deferred<FlowEvent>();
    await subscribe(connect(user.token), flowId, received.resolve, received.reject);

    const applied = await gql(
      url,
      APPLY,
      {
        flowId,
        clientId: 'other-tab',
        ops: [{ kind: 'ADD_NODE', node: { id: 'n1', type: 'screen', label: 'Home', data: { a: [1, 2] } } }],
      },
      user.token,
    );
    expect(applied.data?.['applyFlowOps'].version).toBe(1);
    const event = await received.promise;
    expect(event).toEqual({
      flowId,
      version: 1,
      clientId: 'other-tab',
      ops: [
        {
          kind: 'ADD_NODE',
          nodeId: 'n1',
          edgeId: null,
          node: { id: 'n1', type: 'screen', label: 'Home', position: { x: 0, y: 0 }, data: { a: [1, 2] } },
          edge: null,
        },
      ],
      author: { id: user.id, name: 'Linus' },
    });
    // The same client may also query over the socket.
    const overSocket = await new Promise((resolve, reject) =>
      clients[0]?.subscribe({ query: '{ me { name } }' }, { next: resolve, error: reject, complete: () => undefined }),
    );
    expect(overSocket).toEqual({ data: { me: { name: 'Linus' } } });
  });

  it('refuses anonymous subscribers and flows the caller may not see', async () => {
    const owner = await signUp(url);
    const stranger = await signUp(url);
    const flowId = await createFlow(owner.token);

    for (const token of [undefined, stranger.token]) {
      const failed = deferred<unknown>();
      await subscribe(
        connect(token),
        flowId,
        () => failed.reject(new Error('no event expected')),
        failed.resolve,
        true,
      );
      const errors = (await failed.promise) as { extensions?: { code?: string } }[];
      expect(errors).toMatchObject([{ extensions: { code: token ? 'NOT_FOUND' : 'UNAUTHENTICATED' } }]);
    }
  });

  it('keeps each subscriber to its own credentials on the per-event entity fetches', async () => {
    const alice = await signUp(url, 'Alice');
    const bob = await signUp(url, 'Bob');
    const aliceFlow = await createFlow(alice.token);
    const bobFlow = await createFlow(bob.token);
    const aliceEvents: FlowEvent[] = [];
    const bobEvents: FlowEvent[] = [];
    await subscribe(connect(alice.token), aliceFlow, (event) => aliceEvents.push(event));
    await subscribe(connect(bob.token), bobFlow, (event) => bobEvents.push(event));
    const op = [{ kind: 'ADD_NODE', node: { type: 'screen', label: 'x' } }];
    await gql(url, APPLY, { flowId: aliceFlow, ops: op }, alice.token);
    await gql(url, APPLY, { flowId: bobFlow, ops: op }, bob.token);
    await expect.poll(() => aliceEvents.length + bobEvents.length, { timeout: 10_000 }).toBe(2);
    expect(aliceEvents.map((event) => event.author?.name)).toEqual(['Alice']);
    expect(bobEvents.map((event) => event.author?.name)).toEqual(['Bob']);
  });

  it('rejects an invalid subscription document before contacting a subgraph', async () => {
    const user = await signUp(url);
    const failed = deferred<unknown>();
    connect(user.token).subscribe(
      { query: 'subscription { flowEvents(flowId: "x") { nope } }' },
      { next: () => undefined, error: failed.resolve, complete: () => undefined },
    );
    const errors = (await failed.promise) as { message: string }[];
    expect(errors[0]?.message).toMatch(/Cannot query field "nope"/);
  });

  it('never loses an acknowledged op under concurrent writers: replayed events equal flow(id)', async () => {
    const writers = await Promise.all(Array.from({ length: 4 }, (_, index) => signUp(url, `Writer ${index}`)));
    const owner = writers[0];
    if (!owner) throw new Error('no owner');
    const flowId = await createFlow(owner.token);
    const events: FlowEvent[] = [];
    await subscribe(connect(owner.token), flowId, (event) => events.push(event));

    // Only the owner may write until sharing lands, so the concurrent clients share its token.
    const acknowledged: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, (_, client) =>
        (async () => {
          for (let i = 0; i < 10; i += 1) {
            const result = await gql(
              url,
              APPLY,
              {
                flowId,
                clientId: `client-${client}`,
                ops: [{ kind: 'ADD_NODE', node: { id: `c${client}-n${i}`, type: 'screen', label: `${client}/${i}` } }],
              },
              owner.token,
            );
            expect(result.errors).toBeUndefined();
            acknowledged.push(result.data?.['applyFlowOps'].version as number);
          }
        })(),
      ),
    );
    expect(new Set(acknowledged).size).toBe(40);
    await expect.poll(() => events.length, { timeout: 10_000 }).toBe(40);

    const replayed = new Map<string, string>();
    for (const event of [...events].sort((a, b) => a.version - b.version)) {
      for (const op of event.ops) if (op.kind === 'ADD_NODE' && op.node) replayed.set(op.node.id, op.node.label);
    }
    const flow = await gql(
      url,
      `query ($id: ID!) { flow(id: $id) { version nodes { id label } } }`,
      { id: flowId },
      owner.token,
    );
    expect(flow.data?.['flow'].version).toBe(40);
    expect(
      new Map(flow.data?.['flow'].nodes.map((node: { id: string; label: string }) => [node.id, node.label])),
    ).toEqual(replayed);
    expect(errorCodes(flow)).toEqual([]);
  });

  it('ends a subscription whose access token expired with UNAUTHENTICATED instead of delivering the event', async () => {
    const user = await signUp(url);
    const flowId = await createFlow(user.token);
    const shortLived = new TokenService(inject('serviceEnv')['JWT_SECRET'] ?? '', 2);
    // `iat` is in whole seconds: signed just after one starts, the token lives its full 2 s.
    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000)));
    // Of the user's live session, as every access token is.
    const token = await shortLived.sign(user.id, 'access', { sid: String(decodeJwt(user.token)['sid']) });
    // Not lazy: the socket outlives the subscription, to see what it answers next.
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    const results: unknown[] = [];
    const completed = deferred<void>();
    client.subscribe(
      { query: EVENTS, variables: { flowId } },
      { next: (result) => results.push(result), error: completed.reject, complete: completed.resolve },
    );
    open += 1;
    await expect.poll(upstreamSubscribers, { timeout: 10_000 }).toBe(open);

    const expiresAt = (decodeJwt(token).exp ?? 0) * 1_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 100)));
    const op = [{ kind: 'ADD_NODE', node: { type: 'screen', label: 'after expiry' } }];
    expect(errorCodes(await gql(url, APPLY, { flowId, ops: op }, user.token))).toEqual([]);

    await completed.promise;
    expect(results).toEqual([
      {
        errors: [
          {
            message: 'The access token has expired; reconnect with a fresh token to keep receiving events.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      },
    ]);
    open -= 1;
    await expect.poll(upstreamSubscribers, { timeout: 10_000 }).toBe(0);

    // The connection stays open, but every new operation on it is refused as UNAUTHENTICATED.
    const refused = deferred<unknown>();
    client.subscribe(
      { query: '{ plans { id } }' },
      { next: refused.reject, error: refused.resolve, complete: () => undefined },
    );
    expect(await refused.promise).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
  });
});
