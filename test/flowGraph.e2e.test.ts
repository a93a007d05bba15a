// Validation, analytics, export, import and layout of flows through the router. Every
// export is read back by a real parser: XML for SVG, a DOT parser, our own import for
// JSON and Mermaid.
import { parse as parseDot } from '@ts-graphviz/ast';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, errorCodes, gql, signUp, wsClient, type TestUser } from '#internal/testkit';

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
      name
      nodes {
        id
        type
        label
        position {
          x
          y
        }
      }
      edges {
        id
        source
        target
        label
        condition
      }
    }
  }
`;
const IMPORT = /* GraphQL */ `
  mutation ($input: ImportFlowInput!) {
    importFlow(input: $input) {
      id
      name
    }
  }
`;

const node = (id: string, type: string, label: string) => ({ kind: 'ADD_NODE', node: { id, type, label } });
const edge = (id: string, source: string, target: string, extra: Record<string, string> = {}) => ({
  kind: 'ADD_EDGE',
  edge: { id, source, target, ...extra },
});

/** Sign-up → details → (ok: welcome | "quit": goodbye). */
const CHECKOUT = [
  node('start', 'start', 'Sign up'),
  node('details', 'screen', 'Your "details" <here>'),
  node('choice', 'decision', 'Continue?'),
  node('welcome', 'end', 'Welcome'),
  node('bye', 'end', 'Goodbye | see you'),
  edge('e1', 'start', 'details'),
  edge('e2', 'details', 'choice'),
  edge('e3', 'choice', 'welcome', { label: 'ok', condition: 'form.valid' }),
  edge('e4', 'choice', 'bye', { label: 'quit' }),
];

describe('flow graph operations', () => {
  let user: TestUser;
  let flowId: string;

  beforeAll(async () => {
    user = await signUp(url, 'Grapher');
    flowId = (await gql(url, CREATE_FLOW, { input: { name: 'Checkout' } }, user.token)).data?.['createFlow']
      .id as string;
    expect((await gql(url, APPLY, { flowId, ops: CHECKOUT }, user.token)).errors).toBeUndefined();
  });

  it('validates a flow, naming the nodes at fault', async () => {
    const validate = 'query ($id: ID!) { validateFlow(id: $id) { code nodeIds edgeIds } }';
    expect((await gql(url, validate, { id: flowId }, user.token)).data?.['validateFlow']).toEqual([]);

    const other = (await gql(url, CREATE_FLOW, { input: { name: 'Broken' } }, user.token)).data?.['createFlow']
      .id as string;
    await gql(
      url,
      APPLY,
      { flowId: other, ops: [node('a', 'start', 'A'), node('b', 'screen', 'B'), node('lost', 'screen', 'Lost')] },
      user.token,
    );
    await gql(url, APPLY, { flowId: other, ops: [edge('ab', 'a', 'b')] }, user.token);
    const problems = (await gql(url, validate, { id: other }, user.token)).data?.['validateFlow'] as {
      code: string;
      nodeIds: string[];
    }[];
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['DEAD_END', 'MISSING_END', 'UNREACHABLE_NODE']));
    expect(
      problems
        .filter((p) => p.code === 'DEAD_END')
        .flatMap((p) => p.nodeIds)
        .sort(),
    ).toEqual(['b', 'lost']);
    expect(problems.find((p) => p.code === 'UNREACHABLE_NODE')?.nodeIds).toEqual(['lost']);
  });

  it('measures paths and branching', async () => {
    const analytics = await gql(
      url,
      /* GraphQL */ `
        query ($id: ID!) {
          flowAnalytics(id: $id) {
            nodeCount
            edgeCount
            shortestPath {
              nodeIds
              length
            }
            longestPath {
              length
            }
            branchingFactor
            deadEndIds
            estimatedSteps
            cyclic
          }
        }
      `,
      { id: flowId },
      user.token,
    );
    expect(analytics.data?.['flowAnalytics']).toEqual({
      nodeCount: 5,
      edgeCount: 4,
      shortestPath: { nodeIds: ['start', 'details', 'choice', 'welcome'], length: 3 },
      longestPath: { length: 3 },
      branchingFactor: 4 / 3,
      deadEndIds: [],
      estimatedSteps: 3,
      cyclic: false,
    });
  });

  const exported = async (format: string): Promise<string> => {
    const result = await gql(
      url,
      'query ($id: ID!, $format: ExportFormat!) { exportFlow(id: $id, format: $format) }',
      { id: flowId, format },
      user.token,
    );
    expect(result.errors).toBeUndefined();
    return result.data?.['exportFlow'] as string;
  };

  it('exports SVG that is well-formed XML with every label in it', async () => {
    const svg = await exported('SVG');
    expect(XMLValidator.validate(svg)).toBe(true);
    const tree = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: Record<string, string> };
    expect(tree.svg['@_xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(tree.svg['@_viewBox']).toMatch(/^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
    const text = [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1]).join(' ');
    for (const label of ['Sign up', 'Your &quot;details&quot; &lt;here&gt;', 'Continue?', 'Goodbye | see you']) {
      expect(text).toContain(label);
    }
    expect(svg).not.toMatch(/href="http|<script/i);
  });

  it('exports DOT that a DOT parser reads back with every node and edge', async () => {
    const ast = parseDot(await exported('DOT'));
    const dot = JSON.stringify(ast);
    for (const id of ['start', 'details', 'choice', 'welcome', 'bye']) expect(dot).toContain(`"value":"${id}"`);
    const edges = ast.children.flatMap((graph) => graph.children.filter((child) => child.type === 'Edge'));
    expect(edges).toHaveLength(4);
  });

  it('round-trips JSON and Mermaid through import, ids, labels and conditions included', async () => {
    const original = (await gql(url, CONTENT, { id: flowId }, user.token)).data?.['flow'];
    for (const format of ['JSON', 'MERMAID']) {
      const text = await exported(format);
      const imported = await gql(url, IMPORT, { input: { format, text } }, user.token);
      expect(imported.errors, format).toBeUndefined();
      const copy = (await gql(url, CONTENT, { id: imported.data?.['importFlow'].id }, user.token)).data?.['flow'];
      expect(copy.nodes, format).toEqual(original.nodes);
      expect(copy.edges, format).toEqual(original.edges);
    }
  });

  it('refuses bad imports with where the problem is, creating nothing', async () => {
    const count = async () =>
      (await gql(url, '{ flows(first: 100) { edges { cursor } } }', {}, user.token)).data?.['flows'].edges.length;
    const before = await count();
    const dangling = await gql(
      url,
      IMPORT,
      { input: { format: 'MERMAID', text: 'flowchart TD\n  A[Start] --> B[Next]\n  C --> ' } },
      user.token,
    );
    expect(errorCodes(dangling)).toEqual(['BAD_USER_INPUT']);
    expect(dangling.errors?.[0]?.message).toMatch(/line 3/i);
    const json = await gql(url, IMPORT, { input: { format: 'JSON', text: '{"nodes": [' } }, user.token);
    expect(errorCodes(json)).toEqual(['BAD_USER_INPUT']);
    expect(await count()).toBe(before);
  });

  it('lays the flow out as ops every subscriber sees', async () => {
    const before = (await gql(url, 'query ($id: ID!) { flow(id: $id) { version } }', { id: flowId }, user.token))
      .data?.['flow'].version as number;
    const laidOut = await gql(
      url,
      'mutation ($id: ID!) { layoutFlow(flowId: $id) { version flow { nodes { id position { x y } } } } }',
      { id: flowId },
      user.token,
    );
    expect(laidOut.errors).toBeUndefined();
    const { version, flow } = laidOut.data?.['layoutFlow'] as {
      version: number;
      flow: { nodes: { id: string; position: { x: number; y: number } }[] };
    };
    expect(version).toBe(before + 1);
    const y = Object.fromEntries(flow.nodes.map((n) => [n.id, n.position.y]));
    expect(y['start']).toBeLessThan(y['details'] ?? 0);
    expect(y['details']).toBeLessThan(y['choice'] ?? 0);

    // A client that was at `before` gets the moves as a normal event.
    const client = wsClient(url, user.token);
    const event = deferred<{ version: number; ops: { kind: string }[] }>();
    client.subscribe(
      {
        query:
          'subscription ($id: ID!, $v: Int) { flowEvents(flowId: $id, sinceVersion: $v) { version ops { kind } } }',
        variables: { id: flowId, v: before },
      },
      { next: ({ data }) => event.resolve(data?.['flowEvents'] as never), error: event.reject, complete: () => {} },
    );
    const received = await event.promise;
    await client.dispose();
    expect(received.version).toBe(version);
    expect(new Set(received.ops.map((op) => op.kind))).toEqual(new Set(['MOVE_NODE']));
  });

  it('keeps all of it to those who may see the flow', async () => {
    const stranger = await signUp(url, 'Stranger');
    const refused = await gql(
      url,
      'query ($id: ID!) { exportFlow(id: $id, format: JSON) }',
      { id: flowId },
      stranger.token,
    );
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(
        await gql(url, 'mutation ($id: ID!) { layoutFlow(flowId: $id) { version } }', { id: flowId }, stranger.token),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(await gql(url, 'query ($id: ID!) { flowAnalytics(id: $id) { nodeCount } }', { id: flowId })),
    ).toEqual(['UNAUTHENTICATED']);
  });
});
