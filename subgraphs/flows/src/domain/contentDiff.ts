import { toGraphEdge, toGraphNode, type EdgeRecord, type FlowContent, type NodeRecord } from './model.js';
import { FlowOpKind, type FlowOp } from './ops.js';

export interface Change<T> {
  before: T;
  after: T;
  fields: string[];
}

export interface ContentDiff {
  addedNodes: NodeRecord[];
  removedNodes: NodeRecord[];
  changedNodes: Change<NodeRecord>[];
  addedEdges: EdgeRecord[];
  removedEdges: EdgeRecord[];
  changedEdges: Change<EdgeRecord>[];
}

const NODE_FIELDS = ['type', 'label', 'x', 'y', 'size', 'data'] as const;
const EDGE_FIELDS = ['source', 'target', 'label', 'condition'] as const;

function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T)[]): string[] {
  return fields.filter(
    (field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null),
  ) as string[];
}

function diffById<T extends { id: string }>(
  from: readonly T[],
  to: readonly T[],
  fields: readonly (keyof T)[],
): { added: T[]; removed: T[]; changed: Change<T>[] } {
  const before = new Map(from.map((item) => [item.id, item]));
  const after = new Map(to.map((item) => [item.id, item]));
  const changed: Change<T>[] = [];
  for (const [id, next] of after) {
    const previous = before.get(id);
    const differing = previous ? changedFields(previous, next, fields) : [];
    if (previous && differing.length > 0) changed.push({ before: previous, after: next, fields: differing });
  }
  return {
    added: to.filter((item) => !before.has(item.id)),
    removed: from.filter((item) => !after.has(item.id)),
    changed,
  };
}

/** A flow with nothing in it, to diff against. */
export const EMPTY_CONTENT: FlowContent = { version: 0, nodes: [], edges: [] };

/** What differs between two contents of a flow, by node and edge id. */
export function diffContent(from: FlowContent, to: FlowContent): ContentDiff {
  const nodes = diffById(from.nodes, to.nodes, NODE_FIELDS);
  const edges = diffById(from.edges, to.edges, EDGE_FIELDS);
  return {
    addedNodes: nodes.added,
    removedNodes: nodes.removed,
    changedNodes: nodes.changed,
    addedEdges: edges.added,
    removedEdges: edges.removed,
    changedEdges: edges.changed,
  };
}

/**
 * The ops that turn `current` into `target`, in an order where every prefix is valid:
 * edges go before the nodes they hang on, nodes come before the edges that need them.
 * An edge whose ends changed is deleted and added again (ops cannot move an edge).
 */
export function opsToReach(current: FlowContent, target: FlowContent): FlowOp[] {
  const diff = diffContent(current, target);
  const rewired = diff.changedEdges.filter((c) => c.fields.includes('source') || c.fields.includes('target'));
  const relabeled = diff.changedEdges.filter((c) => !rewired.includes(c));
  return [
    ...[...diff.removedEdges, ...rewired.map((c) => c.before)].map((edge): FlowOp => ({
      kind: FlowOpKind.DELETE_EDGE,
      edgeId: edge.id,
    })),
    ...diff.removedNodes.map((node): FlowOp => ({ kind: FlowOpKind.DELETE_NODE, nodeId: node.id })),
    ...diff.addedNodes.map((node): FlowOp => ({ kind: FlowOpKind.ADD_NODE, node: toGraphNode(node) })),
    ...diff.changedNodes.map((change): FlowOp => ({
      kind: FlowOpKind.UPDATE_NODE,
      nodeId: change.after.id,
      node: toGraphNode(change.after),
    })),
    ...[...diff.addedEdges, ...rewired.map((c) => c.after)].map((edge): FlowOp => ({
      kind: FlowOpKind.ADD_EDGE,
      edge: toGraphEdge(edge),
    })),
    ...relabeled.map((change): FlowOp => ({
      kind: FlowOpKind.UPDATE_EDGE,
      edgeId: change.after.id,
      edge: toGraphEdge(change.after),
    })),
  ];
}
