import type * as Y from 'yjs';
import { badUserInput } from '#internal/errors';
import type { EdgeRecord, NodeRecord } from '../domain/model.js';
import type { AppliedOp, GraphChanges } from '../domain/applyOps.js';
import { FLOW_LIMITS } from '../domain/model.js';
import { FlowOpKind } from '../domain/ops.js';
import { readEdge, readNode } from './flowDoc.js';
import type { FlowView } from './flowView.js';

/**
 * After a pushed update is merged into the document: the records it touched, checked
 * (anything invalid rejects the whole update), and the edges it left without a node at
 * either end, which the server deletes in the same version (`dangling`, also in
 * `changes` as deletions) — so the stored flow is always a valid graph.
 */
export function normalizePushed(
  doc: Y.Doc,
  view: FlowView,
  touched: { nodes: Set<string>; edges: Set<string> },
): { changes: GraphChanges; dangling: string[] } {
  const changes: GraphChanges = { nodes: new Map(), edges: new Map() };
  const fail = (problem: string): never => {
    throw badUserInput(`update: ${problem}.`, 'update');
  };
  for (const id of touched.nodes) {
    const read = readNode(doc, id);
    changes.nodes.set(id, read === null ? null : 'record' in read ? read.record : fail(read.problem));
  }
  for (const id of touched.edges) {
    const read = readEdge(doc, id);
    changes.edges.set(id, read === null ? null : 'record' in read ? read.record : fail(read.problem));
  }
  const nodeAfter = (id: string): boolean =>
    changes.nodes.has(id) ? changes.nodes.get(id) !== null : view.nodes.has(id);

  let nodeCount = view.nodeCount;
  for (const [id, node] of changes.nodes) nodeCount += Number(node !== null) - Number(view.nodes.has(id));
  if (nodeCount > FLOW_LIMITS.nodes) fail(`a flow holds at most ${FLOW_LIMITS.nodes} nodes`);

  // Candidates: edges the update touched, and the edges of nodes it deleted.
  const candidates = new Set(touched.edges);
  for (const [id, node] of changes.nodes)
    if (node === null) for (const edgeId of view.edgeIdsOf(id)) candidates.add(edgeId);
  const dangling: string[] = [];
  for (const id of candidates) {
    const edge = changes.edges.has(id) ? changes.edges.get(id) : view.edges.get(id);
    if (edge && (!nodeAfter(edge.source) || !nodeAfter(edge.target))) {
      dangling.push(id);
      changes.edges.set(id, null);
    }
  }
  let edgeCount = view.edgeCount;
  for (const [id, edge] of changes.edges) edgeCount += Number(edge !== null) - Number(view.edges.has(id));
  if (edgeCount > FLOW_LIMITS.edges) fail(`a flow holds at most ${FLOW_LIMITS.edges} edges`);
  return { changes, dangling };
}

const sameNode = (a: NodeRecord, b: NodeRecord): boolean =>
  a.type === b.type &&
  a.label === b.label &&
  a.x === b.x &&
  a.y === b.y &&
  a.data === b.data &&
  a.size?.width === b.size?.width &&
  a.size?.height === b.size?.height;

const sameEdge = (a: EdgeRecord, b: EdgeRecord): boolean =>
  a.source === b.source &&
  a.target === b.target &&
  a.label === b.label &&
  (a.condition ?? null) === (b.condition ?? null);

/**
 * The ops that take `view` to `view + changes`, in an order that never leaves an edge
 * without its nodes: edge deletions, node deletions, node adds and updates, edge adds
 * and updates. Entries that change nothing are dropped from `changes`.
 */
export function diffToOps(view: FlowView, changes: GraphChanges): AppliedOp[] {
  const deletions: AppliedOp[] = [];
  const nodeOps: AppliedOp[] = [];
  const edgeOps: AppliedOp[] = [];
  for (const [id, edge] of changes.edges) {
    const before = view.edges.get(id);
    if (!edge) {
      if (before) deletions.push({ kind: FlowOpKind.DELETE_EDGE, nodeId: null, edgeId: id, node: null, edge: null });
      else changes.edges.delete(id);
    } else if (!before) {
      edgeOps.push({ kind: FlowOpKind.ADD_EDGE, nodeId: null, edgeId: id, node: null, edge });
    } else if (!sameEdge(before, edge)) {
      edgeOps.push({ kind: FlowOpKind.UPDATE_EDGE, nodeId: null, edgeId: id, node: null, edge });
    } else {
      changes.edges.delete(id);
    }
  }
  const nodeDeletions: AppliedOp[] = [];
  for (const [id, node] of changes.nodes) {
    const before = view.nodes.get(id);
    if (!node) {
      if (before)
        nodeDeletions.push({ kind: FlowOpKind.DELETE_NODE, nodeId: id, edgeId: null, node: null, edge: null });
      else changes.nodes.delete(id);
    } else if (!before) {
      nodeOps.push({ kind: FlowOpKind.ADD_NODE, nodeId: id, edgeId: null, node, edge: null });
    } else if (!sameNode(before, node)) {
      nodeOps.push({ kind: FlowOpKind.UPDATE_NODE, nodeId: id, edgeId: null, node, edge: null });
    } else {
      changes.nodes.delete(id);
    }
  }
  return [...deletions, ...nodeDeletions, ...nodeOps, ...edgeOps];
}
