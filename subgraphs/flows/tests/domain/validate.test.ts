import { describe, expect, it } from 'vitest';
import type { FlowGraph } from '../../src/domain/model.js';
import { FlowProblemCode, validateFlow } from '../../src/domain/validate.js';
import { checkout, edge, edges, node, signUp } from './fixtures.js';

const codes = (graph: FlowGraph) => validateFlow(graph).map((problem) => problem.code);
const only = (graph: FlowGraph, code: FlowProblemCode) => validateFlow(graph).filter((p) => p.code === code);

describe('validateFlow', () => {
  it('finds nothing wrong with a sound flow, loops and notes included', () => {
    expect(validateFlow(signUp())).toEqual([]);
    expect(validateFlow(checkout())).toEqual([]);
  });

  it('reports a missing start, and no unreachable nodes that would only repeat it', () => {
    const graph = { nodes: [node('a'), node('z', 'end')], edges: edges('a>z') };
    expect(validateFlow(graph)).toEqual([
      { code: 'MISSING_START', message: 'The flow has no start node.', nodeIds: [], edgeIds: [] },
    ]);
  });

  it('reports a missing end', () => {
    const graph = { nodes: [node('s', 'start'), node('a'), node('b')], edges: edges('s>a, a>b, b>a') };
    expect(codes(graph)).toEqual([FlowProblemCode.MISSING_END]);
  });

  it('reports a dangling edge with the node that exists and the id that does not', () => {
    const graph = signUp();
    graph.edges.push(edge('x', 'welcome', 'ghost'));
    expect(validateFlow(graph)).toEqual([
      {
        code: 'DANGLING_EDGE',
        message: 'Edge "x" points to "ghost", which is not a node.',
        nodeIds: ['welcome'],
        edgeIds: ['x'],
      },
    ]);
  });

  it('reports nodes no start reaches, but not notes', () => {
    const graph = signUp();
    graph.nodes.push(node('lost'), node('aside', 'note'));
    graph.edges.push(edge('x', 'lost', 'end'));
    expect(only(graph, FlowProblemCode.UNREACHABLE_NODE)).toEqual([
      {
        code: 'UNREACHABLE_NODE',
        message: 'Node "lost" cannot be reached from any start.',
        nodeIds: ['lost'],
        edgeIds: [],
      },
    ]);
    expect(codes(graph)).toEqual([FlowProblemCode.UNREACHABLE_NODE]);
  });

  it('reports a dead end, where an arrow to a note is no way out', () => {
    const graph = signUp();
    graph.nodes.push(node('stuck'));
    graph.edges.push(edge('x', 'welcome', 'stuck'), edge('y', 'stuck', 'hint'));
    expect(only(graph, FlowProblemCode.DEAD_END)).toEqual([
      { code: 'DEAD_END', message: 'Node "stuck" is not an end and has no way out.', nodeIds: ['stuck'], edgeIds: [] },
    ]);
  });

  it('reports nodes whose every way out loops without reaching an end', () => {
    const graph = {
      nodes: [node('s', 'start'), node('a'), node('b'), node('z', 'end')],
      edges: edges('s>a, a>b, b>a'),
    };
    expect(validateFlow(graph).map((p) => [p.code, ...p.nodeIds])).toEqual([
      ['UNREACHABLE_NODE', 'z'],
      ['NO_PATH_TO_END', 's'],
      ['NO_PATH_TO_END', 'a'],
      ['NO_PATH_TO_END', 'b'],
    ]);
  });

  it('reports a decision with fewer than two branches, with the branch it has', () => {
    const graph = signUp();
    graph.edges = graph.edges.filter((e) => e.id !== 'e4');
    expect(validateFlow(graph)).toEqual([
      {
        code: 'DECISION_NEEDS_TWO_BRANCHES',
        message: 'Decision "valid" has 1 outgoing edge; a decision needs at least two.',
        nodeIds: ['valid'],
        edgeIds: ['e3'],
      },
    ]);
  });

  it('reports each duplicated node id once', () => {
    const graph = signUp();
    graph.nodes.push(node('form'), node('form'));
    expect(validateFlow(graph)).toEqual([
      {
        code: 'DUPLICATE_NODE_ID',
        message: 'More than one node has the id "form".',
        nodeIds: ['form'],
        edgeIds: [],
      },
    ]);
  });

  it('reports a duplicated edge id', () => {
    const graph = signUp();
    graph.edges.push(edge('e1', 'welcome', 'end'));
    expect(codes(graph)).toEqual([FlowProblemCode.DUPLICATE_EDGE_ID]);
    expect(validateFlow(graph)[0]?.edgeIds).toEqual(['e1']);
  });

  it('reports a type that is neither known nor a custom slug', () => {
    const graph = signUp();
    graph.nodes[3] = node('welcome', 'Fancy Type');
    expect(codes(graph)).toEqual([FlowProblemCode.INVALID_NODE_TYPE]);
    graph.nodes[3] = node('welcome', 'payment-step');
    expect(codes(graph)).toEqual([]);
  });

  it('orders problems by code, then by graph order, the same on every run', () => {
    const graph: FlowGraph = {
      nodes: [node('d', 'decision'), node('b'), node('a'), node('a')],
      edges: [edge('x', 'a', 'ghost'), edge('x', 'd', 'b')],
    };
    const first = validateFlow(graph);
    expect(first.map((p) => p.code)).toEqual([
      'DUPLICATE_NODE_ID',
      'DUPLICATE_EDGE_ID',
      'MISSING_START',
      'MISSING_END',
      'DANGLING_EDGE',
      'DEAD_END',
      'DEAD_END',
      'DECISION_NEEDS_TWO_BRANCHES',
    ]);
    expect(validateFlow(graph)).toEqual(first);
  });

  it('stays fast on the largest flow allowed', () => {
    const count = 2_000;
    const graph: FlowGraph = {
      nodes: Array.from({ length: count }, (_, i) =>
        node(`n${i}`, i === 0 ? 'start' : i === count - 1 ? 'end' : 'screen'),
      ),
      edges: Array.from({ length: count - 1 }, (_, i) => edge(`e${i}`, `n${i}`, `n${i + 1}`)),
    };
    const started = performance.now();
    expect(validateFlow(graph)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
