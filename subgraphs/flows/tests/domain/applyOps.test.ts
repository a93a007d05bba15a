import { describe, expect, it } from 'vitest';
import { applyOps } from '../../src/domain/applyOps.js';
import { FLOW_LIMITS, type FlowRecords as FlowGraph } from '../../src/domain/model.js';
import { FlowOpKind, type FlowOp } from '../../src/domain/ops.js';

const node = (id: string, label = id) => ({ kind: FlowOpKind.ADD_NODE, node: { id, type: 'screen', label } });
const edge = (id: string, source: string, target: string) => ({
  kind: FlowOpKind.ADD_EDGE,
  edge: { id, source, target },
});
const empty: FlowGraph = { nodes: [], edges: [] };

function codeOf(run: () => unknown): { code: unknown; field: unknown } {
  try {
    run();
  } catch (error) {
    const extensions = (error as { extensions: { code: unknown; field: unknown } }).extensions;
    return { code: extensions.code, field: extensions.field };
  }
  throw new Error('expected an error');
}

describe('applyOps', () => {
  it('does not modify the graph it is given', () => {
    const graph: FlowGraph = applyOps(empty, [node('a')]);
    const before = structuredClone({ nodes: graph.nodes, edges: graph.edges });
    applyOps(graph, [{ kind: FlowOpKind.MOVE_NODE, nodeId: 'a', node: { position: { x: 1, y: 2 } } }]);
    expect({ nodes: graph.nodes, edges: graph.edges }).toEqual(before);
  });

  it('expands a node deletion into the deletion of its edges first', () => {
    const graph = applyOps(empty, [node('a'), node('b'), node('c'), edge('ab', 'a', 'b'), edge('bc', 'b', 'c')]);
    const result = applyOps(graph, [{ kind: FlowOpKind.DELETE_NODE, nodeId: 'b' }]);
    expect(result.applied.map((op) => [op.kind, op.nodeId ?? op.edgeId])).toEqual([
      ['DELETE_EDGE', 'ab'],
      ['DELETE_EDGE', 'bc'],
      ['DELETE_NODE', 'b'],
    ]);
    expect(result.edges).toEqual([]);
    expect(result.nodes.map((n) => n.id)).toEqual(['a', 'c']);
  });

  it('carries whole records on adds, updates and moves so replay is trivial', () => {
    const graph = applyOps(empty, [node('a', 'A')]);
    const { applied } = applyOps(graph, [
      { kind: FlowOpKind.UPDATE_NODE, nodeId: 'a', node: { data: { k: 1 } } },
      { kind: FlowOpKind.MOVE_NODE, nodeId: 'a', node: { position: { x: 3, y: 4 } } },
    ]);
    expect(applied[1]?.node).toEqual({ id: 'a', type: 'screen', label: 'A', x: 3, y: 4, size: null, data: '{"k":1}' });
  });

  it('generates ids when none are given, and clears data with null', () => {
    const { nodes } = applyOps(empty, [{ kind: FlowOpKind.ADD_NODE, node: { type: 'note', label: 'x', data: 1 } }]);
    expect(nodes[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    const cleared = applyOps({ nodes, edges: [] }, [
      { kind: FlowOpKind.UPDATE_NODE, nodeId: nodes[0]?.id ?? '', node: { data: null } },
    ]);
    expect(cleared.nodes[0]?.data).toBeNull();
  });

  it.each<[string, FlowOp[], string]>([
    ['an empty batch', [], 'ops'],
    ['a missing node', [{ kind: FlowOpKind.DELETE_NODE, nodeId: 'zz' }], 'ops[0].nodeId'],
    ['a missing nodeId', [{ kind: FlowOpKind.DELETE_NODE }], 'ops[0].nodeId'],
    ['a duplicate node', [node('a'), node('a')], 'ops[1].node.id'],
    ['a dangling edge', [node('a'), edge('e', 'a', 'zz')], 'ops[1].edge.target'],
    ['a blank label', [{ kind: FlowOpKind.ADD_NODE, node: { type: 'screen', label: '  ' } }], 'ops[0].label'],
    ['a move without position', [node('a'), { kind: FlowOpKind.MOVE_NODE, nodeId: 'a', node: {} }], 'ops[1]'],
    [
      'an infinite position',
      [{ kind: FlowOpKind.ADD_NODE, node: { type: 's', label: 'l', position: { x: Infinity, y: 0 } } }],
      'ops[0].position',
    ],
    [
      'oversized data',
      [{ kind: FlowOpKind.ADD_NODE, node: { type: 's', label: 'l', data: 'x'.repeat(FLOW_LIMITS.dataBytes) } }],
      'ops[0].data',
    ],
  ])('rejects %s with BAD_USER_INPUT naming the field', (_name, ops, field) => {
    expect(codeOf(() => applyOps(empty, ops))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('rejects more ops than one call may carry', () => {
    const ops = Array.from({ length: FLOW_LIMITS.opsPerCall + 1 }, (_, i) => node(`n${i}`));
    expect(codeOf(() => applyOps(empty, ops)).code).toBe('BAD_USER_INPUT');
  });
});
