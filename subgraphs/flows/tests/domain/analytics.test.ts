import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '../../src/domain/analytics.js';
import type { FlowGraph } from '../../src/domain/model.js';
import { checkout, edges, node, signUp } from './fixtures.js';

describe('analyzeFlow', () => {
  it('measures a DAG exactly', () => {
    expect(analyzeFlow(checkout())).toEqual({
      nodeCount: 7,
      edgeCount: 8,
      nodesByType: { start: 1, decision: 1, screen: 3, action: 1, end: 1 },
      shortestPath: { nodeIds: ['s', 'choose', 'later', 'done'], length: 3 },
      longestPath: { nodeIds: ['s', 'choose', 'card', 'confirm', 'done'], length: 4 },
      longestPathExact: true,
      branchingFactor: 8 / 6,
      deadEndIds: [],
      // confirm 1, card 2, skip 2, later 1 → choose 1 + 5/3 → start 2 + 5/3.
      estimatedSteps: 2 + 5 / 3,
      cyclic: false,
    });
  });

  it('measures a flow with a retry loop, leaving the loop and the note out of the paths', () => {
    expect(analyzeFlow(signUp())).toEqual({
      nodeCount: 6,
      edgeCount: 6,
      nodesByType: { start: 1, screen: 2, decision: 1, end: 1, note: 1 },
      shortestPath: { nodeIds: ['start', 'form', 'valid', 'welcome', 'end'], length: 4 },
      longestPath: { nodeIds: ['start', 'form', 'valid', 'welcome', 'end'], length: 4 },
      longestPathExact: true,
      // start 1, form 1, valid 2, welcome 1: the note's arrow is not a step.
      branchingFactor: 5 / 4,
      deadEndIds: [],
      // The "no" loop is assumed not taken.
      estimatedSteps: 4,
      cyclic: true,
    });
  });

  it('finds a longest simple path that needs an edge the loop-free estimate drops', () => {
    // Depth-first from s meets b before a, so a→b closes the loop s→b→a→b; yet s→a→b→e is the longest route.
    const graph: FlowGraph = {
      nodes: [node('s', 'start'), node('a'), node('b'), node('e', 'end')],
      edges: edges('s>b, b>e, b>a, a>b, s>a'),
    };
    const exact = analyzeFlow(graph);
    expect(exact.longestPath).toEqual({ nodeIds: ['s', 'a', 'b', 'e'], length: 3 });
    expect(exact.longestPathExact).toBe(true);
    expect(exact.shortestPath).toEqual({ nodeIds: ['s', 'b', 'e'], length: 2 });
    expect(exact.estimatedSteps).toBe(2);

    const bounded = analyzeFlow(graph, { longestPathBudget: 1 });
    expect(bounded.longestPath).toEqual({ nodeIds: ['s', 'b', 'e'], length: 2 });
    expect(bounded.longestPathExact).toBe(false);
  });

  it('stops at the first end: a user who reaches one is done', () => {
    const graph = { nodes: [node('s', 'start'), node('e1', 'end'), node('e2', 'end')], edges: edges('s>e1, e1>e2') };
    expect(analyzeFlow(graph).longestPath).toEqual({ nodeIds: ['s', 'e1'], length: 1 });
  });

  it('reports dead ends and no paths when no end can be reached', () => {
    const graph = { nodes: [node('s', 'start'), node('a'), node('z', 'end')], edges: edges('s>a') };
    expect(analyzeFlow(graph)).toMatchObject({
      deadEndIds: ['a'],
      shortestPath: null,
      longestPath: null,
      longestPathExact: true,
      estimatedSteps: null,
      branchingFactor: 1,
    });
  });

  it('answers quickly on a dense cyclic flow, with a real simple path', () => {
    const inner = Array.from({ length: 14 }, (_, i) => `k${i}`);
    const graph: FlowGraph = {
      nodes: [node('s', 'start'), ...inner.map((id) => node(id)), node('e', 'end')],
      edges: edges(
        [
          ...inner.map((id) => `s>${id}`),
          ...inner.flatMap((a) => inner.filter((b) => b !== a).map((b) => `${a}>${b}`)),
          ...inner.map((id) => `${id}>e`),
        ].join(','),
      ),
    };
    const started = performance.now();
    const result = analyzeFlow(graph, { longestPathBudget: 5_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    const path = result.longestPath!.nodeIds;
    expect(path[0]).toBe('s');
    expect(path.at(-1)).toBe('e');
    expect(new Set(path).size).toBe(path.length);
    const pairs = new Set(graph.edges.map((e) => `${e.source}>${e.target}`));
    expect(path.slice(1).every((id, i) => pairs.has(`${path[i]}>${id}`))).toBe(true);
    // The depth-first tree already threads every node here, so the bound is met and known to be exact.
    expect(result.longestPath!.length).toBe(15);
    expect(result.longestPathExact).toBe(true);
  });
});
