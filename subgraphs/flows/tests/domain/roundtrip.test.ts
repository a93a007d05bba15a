import { describe, expect, it } from 'vitest';
import { compactEdge, compactNode, exportJson } from '../../src/domain/export/json.js';
import { exportMermaid } from '../../src/domain/export/mermaid.js';
import type { FlowGraph } from '../../src/domain/model.js';
import { importFlow, importFlowDocument } from '../../src/domain/import/index.js';
import { checkout, hostile, signUp } from './fixtures.js';
import { randomGraph, seededRandom } from './random.js';

const compact = (graph: FlowGraph): FlowGraph => ({
  nodes: graph.nodes.map(compactNode),
  edges: graph.edges.map(compactEdge),
});

describe.each([
  ['JSON', exportJson],
  ['MERMAID', exportMermaid],
] as const)('%s round trip', (format, write) => {
  it.each([
    ['a DAG', checkout()],
    ['a flow with a loop and a note', signUp()],
    ['hostile ids, labels, conditions and data', hostile()],
    ['an empty flow', { nodes: [], edges: [] }],
  ])('restores %s exactly, name included', (_name, graph) => {
    const imported = importFlowDocument(write(graph, 'Flow "1" <b>'), format);
    expect(imported.graph).toEqual(compact(graph));
    expect(imported.name).toBe('Flow "1" <b>');
  });

  it('restores 200 random graphs unchanged', () => {
    const random = seededRandom(20_251_126);
    for (let i = 0; i < 200; i++) {
      const graph = randomGraph(random);
      const text = write(graph, `random ${i}`);
      expect(importFlow(text, format), `graph ${i}:\n${text}`).toEqual(graph);
    }
  });
});
