// A flow whose document outgrows its content is rebuilt, through the router: subscribers
// see a version with `resync`, a stale copy is told to start over, a fresh one merges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deferred, errorCodes, gql, signUp, wsClient, type TestUser } from '#internal/testkit';
import { startPrivateFlows } from './setup/privateStack.js';

const SYNC = 'query ($id: ID!, $sv: String) { flowSync(flowId: $id, stateVector: $sv) { update version resync } }';
const PUSH = 'mutation ($id: ID!, $u: String!) { pushFlowUpdate(flowId: $id, update: $u) { version } }';
const MOVE_ALL = /* GraphQL */ `
  mutation ($id: ID!, $ops: [FlowOpInput!]!) {
    applyFlowOps(flowId: $id, ops: $ops) {
      version
    }
  }
`;
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

describe('a flow document rebuilt from its content, through the router', () => {
  let url = '';
  let stop = async (): Promise<void> => undefined;
  let user: TestUser;

  beforeAll(async () => {
    ({ routerUrl: url, stop } = await startPrivateFlows({
      FLOW_SNAPSHOT_EVERY: '10',
      FLOW_REBASE_ABOVE_BYTES: '2048',
    }));
    user = await signUp(url, 'Rebuilder');
  }, 120_000);
  afterAll(() => stop());

  it('tells subscribers and stale copies to start over, and takes edits on the new document', async () => {
    const created = await gql(url, 'mutation { createFlow(input: { name: "Busy" }) { id } }', {}, user.token);
    const id = created.data?.['createFlow'].id as string;
    const nodes = Array.from({ length: 8 }, (_, i) => `n${i}`);
    await gql(
      url,
      MOVE_ALL,
      { id, ops: nodes.map((n) => ({ kind: 'ADD_NODE', node: { id: n, type: 'screen', label: n } })) },
      user.token,
    );
    const stale = new Y.Doc();
    Y.applyUpdate(stale, bytes((await gql(url, SYNC, { id }, user.token)).data?.['flowSync'].update as string));

    const client = wsClient(url, user.token);
    const rebuilt = deferred<{ version: number; ops: unknown[]; update: string }>();
    client.subscribe(
      {
        query: 'subscription ($id: ID!) { flowEvents(flowId: $id) { version resync ops { kind } update } }',
        variables: { id },
      },
      {
        next: ({ data }) => {
          const event = data?.['flowEvents'] as { resync: boolean; version: number; ops: unknown[]; update: string };
          if (event.resync) rebuilt.resolve(event);
        },
        error: rebuilt.reject,
        complete: () => undefined,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let round = 0; round < 60; round += 1) {
      const moved = await gql(
        url,
        MOVE_ALL,
        { id, ops: nodes.map((n, i) => ({ kind: 'MOVE_NODE', nodeId: n, node: { position: { x: round, y: i } } })) },
        user.token,
      );
      expect(moved.errors).toBeUndefined();
    }
    const event = await rebuilt.promise;
    expect(event.ops).toEqual([]);
    await client.dispose();

    // The event's update is the whole new document: the same content.
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, bytes(event.update));
    expect([...fresh.getMap('nodes').keys()].sort()).toEqual(nodes);

    // The stale copy is told to start over, and its push of an old node's edit is refused.
    const resynced = await gql(url, SYNC, { id, sv: b64(Y.encodeStateVector(stale)) }, user.token);
    expect(resynced.data?.['flowSync'].resync).toBe(true);
    const sv = Y.encodeStateVector(stale);
    (stale.getMap('nodes').get('n1') as Y.Map<unknown>).set('label', 'offline edit');
    const refused = await gql(url, PUSH, { id, u: b64(Y.encodeStateAsUpdate(stale, sv)) }, user.token);
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.extensions?.['reason']).toBe('RESYNC');

    // A copy of the new document syncs without resync, and its edits merge.
    const current = new Y.Doc();
    Y.applyUpdate(current, bytes(resynced.data?.['flowSync'].update as string));
    const svNow = Y.encodeStateVector(current);
    expect((await gql(url, SYNC, { id, sv: b64(svNow) }, user.token)).data?.['flowSync'].resync).toBe(false);
    (current.getMap('nodes').get('n1') as Y.Map<unknown>).set('label', 'edited on the new copy');
    const pushed = await gql(url, PUSH, { id, u: b64(Y.encodeStateAsUpdate(current, svNow)) }, user.token);
    expect(pushed.errors).toBeUndefined();
    const flow = await gql(url, 'query ($id: ID!) { flow(id: $id) { nodes { id label } } }', { id }, user.token);
    expect(flow.data?.['flow'].nodes.find((n: { id: string }) => n.id === 'n1').label).toBe('edited on the new copy');
  }, 90_000);
});
