// Two routers, each in front of its own flows-subgraph instance, sharing Redis: a client on
// one router sees the edits made through the other.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, gql, signUp, wsClient } from '#internal/testkit';
import { startPrivateFlows } from './setup/privateStack.js';

const env = inject('serviceEnv');
const routerA = inject('routerUrl');

describe.skipIf(!env['REDIS_URL'])('scale-out through Redis (REDIS_URL)', () => {
  let routerB = '';
  let stop = async (): Promise<void> => undefined;

  beforeAll(async () => {
    ({ routerUrl: routerB, stop } = await startPrivateFlows());
  }, 120_000);

  afterAll(() => stop());

  it('delivers an edit made through router A to a subscriber on router B', async () => {
    const user = await signUp(routerA, 'Scaled');
    const created = await gql(routerA, `mutation { createFlow(input: { name: "Shared" }) { id } }`, {}, user.token);
    const flowId = created.data?.['createFlow'].id as string;
    const client = wsClient(routerB, user.token);
    const event = deferred<unknown>();
    client.subscribe(
      {
        query: 'subscription ($id: ID!) { flowEvents(flowId: $id) { version author { name } } }',
        variables: { id: flowId },
      },
      { next: (result) => event.resolve(result), error: event.reject, complete: () => undefined },
    );
    // The subscription opens asynchronously on flows-b; keep writing through A until B hears one.
    let version = 0;
    let heard = false;
    void event.promise.then(() => (heard = true));
    for (let attempt = 0; attempt < 50 && !heard; attempt += 1) {
      const applied = await gql(
        routerA,
        'mutation ($id: ID!) { applyFlowOps(flowId: $id, ops: [{ kind: ADD_NODE, node: { type: "screen", label: "x" } }]) { version } }',
        { id: flowId },
        user.token,
      );
      version = applied.data?.['applyFlowOps'].version as number;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = (await event.promise) as { data: { flowEvents: { version: number; author: { name: string } } } };
    expect(result.data.flowEvents.author.name).toBe('Scaled');
    expect(result.data.flowEvents.version).toBeLessThanOrEqual(version);
    await client.dispose();
  });
});
