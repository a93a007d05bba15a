// History, diffs, named versions and restores; the trash; copies; searching and sorting.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, errorCodes, gql, signUp, wsClient, type GraphQLResponse, type TestUser } from '#internal/testkit';

const url = inject('routerUrl');

const CREATE_FLOW = /* GraphQL */ `
  mutation ($input: CreateFlowInput!) {
    createFlow(input: $input) {
      id
    }
  }
`;
const APPLY = /* GraphQL */ `
  mutation ($flowId: ID!, $ops: [FlowOpInput!]!) {
    applyFlowOps(flowId: $flowId, ops: $ops) {
      version
    }
  }
`;
const CONTENT = /* GraphQL */ `
  query ($id: ID!) {
    flow(id: $id) {
      version
      nodes {
        id
        label
      }
      edges {
        id
        source
        target
      }
    }
  }
`;
const HISTORY = /* GraphQL */ `
  query ($flowId: ID!, $after: String) {
    flowHistory(flowId: $flowId, first: 2, after: $after) {
      edges {
        node {
          version
          author {
            id
          }
          ops {
            kind
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const DIFF = /* GraphQL */ `
  query ($flowId: ID!, $from: Int!, $to: Int!) {
    flowDiff(flowId: $flowId, from: $from, to: $to) {
      addedNodes {
        id
      }
      removedNodes {
        id
      }
      changedNodes {
        after {
          id
          label
        }
        fields
      }
      addedEdges {
        id
      }
      removedEdges {
        id
      }
    }
  }
`;

const addNode = (id: string, label = id) => ({ kind: 'ADD_NODE', node: { id, type: 'screen', label } });

async function newFlow(user: TestUser, name: string): Promise<string> {
  const created = await gql(url, CREATE_FLOW, { input: { name } }, user.token);
  expect(created.errors).toBeUndefined();
  return created.data?.['createFlow'].id as string;
}

async function apply(user: TestUser, flowId: string, ops: unknown[]): Promise<number> {
  const result = await gql(url, APPLY, { flowId, ops }, user.token);
  expect(result.errors).toBeUndefined();
  return result.data?.['applyFlowOps'].version as number;
}

describe('flow versions', () => {
  let user: TestUser;
  let flowId: string;

  beforeAll(async () => {
    user = await signUp(url, 'Historian');
    flowId = await newFlow(user, 'Versioned');
    await apply(user, flowId, [addNode('a'), addNode('b')]); // 1
    await apply(user, flowId, [{ kind: 'ADD_EDGE', edge: { id: 'ab', source: 'a', target: 'b' } }]); // 2
    await apply(user, flowId, [addNode('c')]); // 3
    await apply(user, flowId, [
      { kind: 'DELETE_NODE', nodeId: 'b' },
      { kind: 'UPDATE_NODE', nodeId: 'a', node: { label: 'A!' } },
    ]); // 4
  });

  it('pages through the history, newest first', async () => {
    const first = await gql(url, HISTORY, { flowId }, user.token);
    const page1 = first.data?.['flowHistory'];
    expect(page1.edges.map((e: { node: { version: number } }) => e.node.version)).toEqual([4, 3]);
    expect(page1.edges[0].node.author).toEqual({ id: user.id });
    expect(page1.edges[0].node.ops.map((op: { kind: string }) => op.kind).sort()).toEqual([
      'DELETE_EDGE',
      'DELETE_NODE',
      'UPDATE_NODE',
    ]);
    const second = await gql(url, HISTORY, { flowId, after: page1.pageInfo.endCursor }, user.token);
    expect(second.data?.['flowHistory'].edges.map((e: { node: { version: number } }) => e.node.version)).toEqual([
      2, 1,
    ]);
    expect(second.data?.['flowHistory'].pageInfo.hasNextPage).toBe(false);
  });

  it('refuses to resume from a version the flow has not reached', async () => {
    const client = wsClient(url, user.token);
    const refused = deferred<unknown>();
    client.subscribe(
      {
        query: 'subscription ($id: ID!) { flowEvents(flowId: $id, sinceVersion: 999) { version } }',
        variables: { id: flowId },
      },
      { next: (message) => refused.resolve(message), error: refused.reject, complete: () => undefined },
    );
    const message = (await refused.promise) as GraphQLResponse;
    await client.dispose();
    expect(errorCodes(message)).toEqual(['BAD_USER_INPUT']);
  });

  it('diffs any two kept versions', async () => {
    const diff = (await gql(url, DIFF, { flowId, from: 2, to: 4 }, user.token)).data?.['flowDiff'];
    expect(diff).toEqual({
      addedNodes: [{ id: 'c' }],
      removedNodes: [{ id: 'b' }],
      changedNodes: [{ after: { id: 'a', label: 'A!' }, fields: ['label'] }],
      addedEdges: [],
      removedEdges: [{ id: 'ab' }],
    });
    expect(errorCodes(await gql(url, DIFF, { flowId, from: 0, to: 99 }, user.token))).toEqual(['BAD_USER_INPUT']);
  });

  it('restores an earlier version as a new version made of ops', async () => {
    const version = (
      await gql(
        url,
        'mutation ($flowId: ID!) { restoreFlowVersion(flowId: $flowId, version: 2) { version } }',
        { flowId },
        user.token,
      )
    ).data?.['restoreFlowVersion'].version as number;
    expect(version).toBe(5);
    const content = (await gql(url, CONTENT, { id: flowId }, user.token)).data?.['flow'];
    expect(content.nodes.map((n: { id: string; label: string }) => [n.id, n.label]).sort()).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(content.edges).toEqual([{ id: 'ab', source: 'a', target: 'b' }]);
    const nothing = (await gql(url, DIFF, { flowId, from: 2, to: 5 }, user.token)).data?.['flowDiff'];
    expect(nothing).toEqual({
      addedNodes: [],
      removedNodes: [],
      changedNodes: [],
      addedEdges: [],
      removedEdges: [],
    });
  });

  it('keeps named versions', async () => {
    const named = await gql(
      url,
      'mutation ($flowId: ID!) { nameFlowVersion(flowId: $flowId, name: "Before review") { name version } }',
      { flowId },
      user.token,
    );
    expect(named.data?.['nameFlowVersion']).toEqual({ name: 'Before review', version: 5 });
    const list = await gql(
      url,
      'query ($flowId: ID!) { flowNamedVersions(flowId: $flowId) { name version } }',
      { flowId },
      user.token,
    );
    expect(list.data?.['flowNamedVersions']).toEqual([{ name: 'Before review', version: 5 }]);
    // A named version can be diffed against and restored like any other.
    await apply(user, flowId, [addNode('later')]); // 6
    const sinceNamed = (await gql(url, DIFF, { flowId, from: 5, to: 6 }, user.token)).data?.['flowDiff'];
    expect(sinceNamed.addedNodes).toEqual([{ id: 'later' }]);
    const back = await gql(
      url,
      'mutation ($flowId: ID!) { restoreFlowVersion(flowId: $flowId, version: 5) { version flow { nodes { id } } } }',
      { flowId },
      user.token,
    );
    expect(back.errors).toBeUndefined();
    expect(back.data?.['restoreFlowVersion'].flow.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['a', 'b']);

    const stranger = await signUp(url, 'Stranger');
    expect(errorCodes(await gql(url, HISTORY, { flowId }, stranger.token))).toEqual(['NOT_FOUND']);
  });
});

describe('flow lifecycle and lists', () => {
  let user: TestUser;

  beforeAll(async () => {
    user = await signUp(url, 'Lister');
  });

  it('moves a flow to the trash and back', async () => {
    const flowId = await newFlow(user, 'Trash me');
    await apply(user, flowId, [addNode('kept')]);
    const ids = async (filter: Record<string, unknown>) =>
      (
        await gql(
          url,
          'query ($filter: FlowFilter) { flows(first: 100, filter: $filter) { edges { node { id } } } }',
          { filter },
          user.token,
        )
      ).data?.['flows'].edges.map((e: { node: { id: string } }) => e.node.id) as string[];

    expect((await gql(url, 'mutation ($id: ID!) { deleteFlow(id: $id) }', { id: flowId }, user.token)).data).toEqual({
      deleteFlow: true,
    });
    expect((await gql(url, CONTENT, { id: flowId }, user.token)).data?.['flow']).toBeNull();
    expect(await ids({})).not.toContain(flowId);
    expect(await ids({ deleted: true })).toContain(flowId);
    expect(errorCodes(await gql(url, APPLY, { flowId, ops: [addNode('x')] }, user.token))).toEqual(['NOT_FOUND']);

    const stranger = await signUp(url, 'Stranger');
    expect(
      errorCodes(await gql(url, 'mutation ($id: ID!) { restoreFlow(id: $id) { id } }', { id: flowId }, stranger.token)),
    ).toEqual(['NOT_FOUND']);
    const restored = await gql(
      url,
      'mutation ($id: ID!) { restoreFlow(id: $id) { id nodes { id } } }',
      { id: flowId },
      user.token,
    );
    expect(restored.data?.['restoreFlow']).toEqual({ id: flowId, nodes: [{ id: 'kept' }] });
    expect(await ids({})).toContain(flowId);
  });

  it('duplicates a flow with its content', async () => {
    const flowId = await newFlow(user, 'Original');
    await apply(user, flowId, [
      addNode('a'),
      addNode('b'),
      { kind: 'ADD_EDGE', edge: { id: 'e', source: 'a', target: 'b' } },
    ]);
    const copy = await gql(
      url,
      'mutation ($id: ID!) { duplicateFlow(id: $id) { id name nodes { id } edges { id } owner { id } } }',
      { id: flowId },
      user.token,
    );
    expect(copy.data?.['duplicateFlow']).toMatchObject({
      name: 'Original (copy)',
      nodes: [{ id: 'a' }, { id: 'b' }],
      edges: [{ id: 'e' }],
      owner: { id: user.id },
    });
    expect(copy.data?.['duplicateFlow'].id).not.toBe(flowId);
  });

  it('searches and sorts, paging without gaps or repeats', async () => {
    const tag = `t${Date.now()}`;
    for (const name of ['Gamma', 'alpha checkout', 'Beta signup', 'delta checkout'])
      await newFlow(user, `${name} ${tag}`);
    const list = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>, after?: string) =>
      (
        await gql(
          url,
          'query ($filter: FlowFilter, $orderBy: FlowOrder, $after: String) { flows(first: 2, filter: $filter, orderBy: $orderBy, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }',
          { filter, orderBy, after },
          user.token,
        )
      ).data?.['flows'] as {
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };

    const found = await list({ search: `checkout ${tag}` });
    expect(found.edges.map((e) => e.node.name).sort()).toEqual([`alpha checkout ${tag}`, `delta checkout ${tag}`]);

    const names: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const result = await list({ search: tag }, { field: 'NAME', direction: 'ASC' }, after);
      names.push(...result.edges.map((e) => e.node.name));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(names).toEqual([`Beta signup ${tag}`, `Gamma ${tag}`, `alpha checkout ${tag}`, `delta checkout ${tag}`]);
    expect(errorCodes(await gql(url, '{ flows(after: "bogus") { edges { cursor } } }', {}, user.token))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
