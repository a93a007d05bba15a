import { describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, signUp, type GraphQLResponse, type TestUser } from '#internal/testkit';

interface FlowPage {
  edges: { cursor: string; node: { id: string; name: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const url = inject('routerUrl');

const CREATE = /* GraphQL */ `
  mutation ($input: CreateFlowInput!) {
    createFlow(input: $input) {
      id
      name
      version
      nodes {
        id
      }
      edges {
        id
      }
    }
  }
`;
const FLOW = /* GraphQL */ `
  query ($id: ID!) {
    flow(id: $id) {
      id
      name
      version
      owner {
        id
        name
      }
      nodes {
        id
        type
        label
        position {
          x
          y
        }
        data
      }
      edges {
        id
        source
        target
        label
      }
    }
  }
`;
const APPLY = /* GraphQL */ `
  mutation ($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {
    applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {
      version
      flow {
        version
        nodes {
          id
          label
          position {
            x
            y
          }
          data
        }
        edges {
          id
          source
          target
          label
        }
      }
    }
  }
`;

async function createFlow(user: TestUser, name = 'Checkout'): Promise<string> {
  const result = await gql(url, CREATE, { input: { name } }, user.token);
  expect(result.errors).toBeUndefined();
  return result.data?.['createFlow'].id as string;
}

describe('flows through the router', () => {
  it('returns a flow with its owner resolved by the users subgraph', async () => {
    const user = await signUp(url, 'Grace');
    const id = await createFlow(user);
    const result = await gql(url, FLOW, { id }, user.token);
    expect(result.errors).toBeUndefined();
    expect(result.data?.['flow']).toMatchObject({
      id,
      name: 'Checkout',
      version: 0,
      owner: { id: user.id, name: 'Grace' },
    });
  });

  it('applies ops in order, cascades edge deletion, and keeps JSON data intact', async () => {
    const user = await signUp(url);
    const flowId = await createFlow(user);
    const data = { fields: ['email', 'password'], nested: { 'key.with.dot': 1, $dollar: true } };
    const added = await gql(
      url,
      APPLY,
      {
        flowId,
        clientId: 'editor-1',
        ops: [
          { kind: 'ADD_NODE', node: { id: 'a', type: 'start', label: 'Start' } },
          { kind: 'ADD_NODE', node: { id: 'b', type: 'screen', label: 'Login', position: { x: 10, y: 20 }, data } },
          { kind: 'ADD_EDGE', edge: { id: 'e1', source: 'a', target: 'b', label: 'go' } },
          { kind: 'UPDATE_NODE', nodeId: 'b', node: { label: 'Sign in' } },
          { kind: 'MOVE_NODE', nodeId: 'a', node: { position: { x: -5, y: 7.5 } } },
        ],
      },
      user.token,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data?.['applyFlowOps'].version).toBe(1);
    expect(added.data?.['applyFlowOps'].flow.nodes).toEqual([
      { id: 'a', label: 'Start', position: { x: -5, y: 7.5 }, data: null },
      { id: 'b', label: 'Sign in', position: { x: 10, y: 20 }, data },
    ]);

    const deleted = await gql(url, APPLY, { flowId, ops: [{ kind: 'DELETE_NODE', nodeId: 'a' }] }, user.token);
    expect(deleted.data?.['applyFlowOps']).toEqual({
      version: 2,
      flow: { version: 2, nodes: [{ id: 'b', label: 'Sign in', position: { x: 10, y: 20 }, data }], edges: [] },
    });
  });

  it.each([
    ['an op on a missing node', [{ kind: 'UPDATE_NODE', nodeId: 'ghost', node: { label: 'x' } }]],
    ['an edge to a missing node', [{ kind: 'ADD_EDGE', edge: { source: 'n1', target: 'ghost' } }]],
    ['a duplicate node id', [{ kind: 'ADD_NODE', node: { id: 'n1', type: 'screen', label: 'again' } }]],
    ['a node without a label', [{ kind: 'ADD_NODE', node: { type: 'screen' } }]],
    ['no ops at all', []],
    [
      'a valid op followed by an invalid one',
      [
        { kind: 'ADD_NODE', node: { id: 'n2', type: 'screen', label: 'ok' } },
        { kind: 'DELETE_EDGE', edgeId: 'ghost' },
      ],
    ],
  ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_case, ops) => {
    const user = await signUp(url);
    const flowId = await createFlow(user);
    await gql(
      url,
      APPLY,
      { flowId, ops: [{ kind: 'ADD_NODE', node: { id: 'n1', type: 'screen', label: 'one' } }] },
      user.token,
    );
    const result = await gql(url, APPLY, { flowId, ops }, user.token);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const after = await gql(url, FLOW, { id: flowId }, user.token);
    expect(after.data?.['flow']).toMatchObject({ version: 1, nodes: [{ id: 'n1', label: 'one' }] });
  });

  it('hides flows from other users and refuses anonymous writes', async () => {
    const owner = await signUp(url);
    const stranger = await signUp(url);
    const flowId = await createFlow(owner);
    expect((await gql(url, FLOW, { id: flowId }, stranger.token)).data).toEqual({ flow: null });
    expect((await gql(url, FLOW, { id: flowId })).data).toEqual({ flow: null });
    expect((await gql(url, FLOW, { id: 'not-an-id' }, owner.token)).data).toEqual({ flow: null });
    const ops = [{ kind: 'ADD_NODE', node: { type: 'screen', label: 'x' } }];
    expect(errorCodes(await gql(url, APPLY, { flowId, ops }, stranger.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(url, APPLY, { flowId, ops }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(url, CREATE, { input: { name: 'x' } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('validates createFlow input', async () => {
    const user = await signUp(url);
    expect(errorCodes(await gql(url, CREATE, { input: { name: '  ' } }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, CREATE, { input: { name: 'x'.repeat(201) } }, user.token))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const list = await gql(url, `{ flows { edges { node { id } } } }`, {}, user.token);
    expect(list.data?.['flows'].edges).toEqual([]);
  });

  it('pages through flows with cursors, newest first', async () => {
    const user = await signUp(url);
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three', 'four', 'five']) ids.push(await createFlow(user, name));
    const PAGE = /* GraphQL */ `
      query ($first: Int, $after: String) {
        flows(first: $first, after: $after) {
          edges {
            cursor
            node {
              id
              name
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    `;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: GraphQLResponse<{ flows: FlowPage }> = await gql(url, PAGE, { first: 2, after }, user.token);
      expect(page.errors).toBeUndefined();
      const connection = page.data?.flows;
      if (!connection) throw new Error('no page');
      seen.push(...connection.edges.map((edge) => edge.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(['five', 'four', 'three', 'two', 'one']);
    expect(errorCodes(await gql(url, PAGE, { first: 0 }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, PAGE, { first: 101 }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, PAGE, { after: 'garbage' }, user.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, PAGE, {}))).toEqual(['UNAUTHENTICATED']);
  });
});
