import { randomUUID } from 'node:crypto';
import { badUserInput } from '#internal/errors';
import {
  FLOW_LIMITS,
  isNodeType,
  type EdgeRecord,
  type FlowRecords,
  type NodeRecord,
  type Point,
  type Size,
} from './model.js';
import { FlowOpKind, type FlowOp, type NodeChange } from './ops.js';

/** An op as applied: adds, updates and moves carry the whole resulting record. */
export interface AppliedOp {
  kind: FlowOpKind;
  nodeId: string | null;
  edgeId: string | null;
  node: NodeRecord | null;
  edge: EdgeRecord | null;
}

/** Read access to a flow's current content; `applyOps` never changes it. */
export interface GraphState {
  node(id: string): NodeRecord | undefined;
  edge(id: string): EdgeRecord | undefined;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** The ids of the edges that start or end at a node. */
  edgeIdsOf(nodeId: string): Iterable<string>;
}

/** What a batch changes: the resulting record, or null for a deletion, by id. */
export interface GraphChanges {
  nodes: Map<string, NodeRecord | null>;
  edges: Map<string, EdgeRecord | null>;
}

/**
 * Validates and applies ops in order on top of `state`, which is left untouched: the
 * result is what changed, for the caller to commit. Any invalid op rejects the whole
 * batch (the error names the op's index and field), so nothing is ever partly applied.
 * Cost is in the size of the batch, not of the flow.
 */
export function planOps(state: GraphState, ops: readonly FlowOp[]): GraphChanges & { applied: AppliedOp[] } {
  if (ops.length === 0) throw badUserInput('Give at least one op.', 'ops');
  if (ops.length > FLOW_LIMITS.opsPerCall)
    throw badUserInput(`Give at most ${FLOW_LIMITS.opsPerCall} ops per call.`, 'ops');
  const changes: GraphChanges = { nodes: new Map(), edges: new Map() };
  let nodeCount = state.nodeCount;
  let edgeCount = state.edgeCount;
  const nodeAt = (id: string): NodeRecord | undefined =>
    changes.nodes.has(id) ? (changes.nodes.get(id) ?? undefined) : state.node(id);
  const edgeAt = (id: string): EdgeRecord | undefined =>
    changes.edges.has(id) ? (changes.edges.get(id) ?? undefined) : state.edge(id);
  // Edges added in this batch, by node, so a deletion later in the batch finds them too.
  const addedEdgesOf = new Map<string, Set<string>>();
  const applied: AppliedOp[] = [];

  ops.forEach((op, index) => {
    const at = `ops[${index}]`;
    const fail = (message: string, field = at): never => {
      throw badUserInput(`${at} (${op.kind}): ${message}`, field);
    };
    const existingNode = (): NodeRecord => {
      const id = op.nodeId ?? op.node?.id;
      if (!id) return fail('nodeId is required.', `${at}.nodeId`);
      return nodeAt(id) ?? fail(`there is no node "${id}".`, `${at}.nodeId`);
    };
    const existingEdge = (): EdgeRecord => {
      const id = op.edgeId ?? op.edge?.id;
      if (!id) return fail('edgeId is required.', `${at}.edgeId`);
      return edgeAt(id) ?? fail(`there is no edge "${id}".`, `${at}.edgeId`);
    };
    const endpoint = (id: string | null | undefined, field: 'source' | 'target'): string => {
      if (!id) return fail(`edge.${field} is required.`, `${at}.edge.${field}`);
      if (!nodeAt(id)) return fail(`edge.${field} "${id}" is not a node of this flow.`, `${at}.edge.${field}`);
      return id;
    };
    const setEdge = (edge: EdgeRecord): void => {
      changes.edges.set(edge.id, edge);
      for (const end of [edge.source, edge.target]) {
        const set = addedEdgesOf.get(end) ?? new Set<string>();
        set.add(edge.id);
        addedEdgesOf.set(end, set);
      }
    };

    switch (op.kind) {
      case FlowOpKind.ADD_NODE: {
        const input = op.node ?? fail('node is required.', `${at}.node`);
        const id = checkId(input.id ?? op.nodeId ?? randomUUID(), `${at}.node.id`, fail);
        if (nodeAt(id)) fail(`a node "${id}" already exists.`, `${at}.node.id`);
        if (nodeCount >= FLOW_LIMITS.nodes) fail(`a flow holds at most ${FLOW_LIMITS.nodes} nodes.`);
        const node: NodeRecord = {
          id,
          type: checkType(input.type, at, fail),
          label: checkText(input.label, 'label', FLOW_LIMITS.labelLength, at, fail),
          ...checkPosition(input.position ?? { x: 0, y: 0 }, at, fail),
          size: input.size ? checkSize(input.size, at, fail) : null,
          // Null or absent: no data, as for UPDATE_NODE (not the JSON text `null`).
          data: input.data == null ? null : encodeData(input.data, at, fail),
        };
        changes.nodes.set(id, node);
        nodeCount += 1;
        applied.push({ kind: op.kind, nodeId: id, edgeId: null, node, edge: null });
        break;
      }
      case FlowOpKind.UPDATE_NODE:
      case FlowOpKind.MOVE_NODE: {
        const node = { ...existingNode() };
        const input: NodeChange = op.node ?? fail('node is required.', `${at}.node`);
        if (op.kind === FlowOpKind.MOVE_NODE && !input.position) fail('node.position is required.');
        if (input.type != null) node.type = checkType(input.type, at, fail);
        if (input.label != null) node.label = checkText(input.label, 'label', FLOW_LIMITS.labelLength, at, fail);
        if (input.position) Object.assign(node, checkPosition(input.position, at, fail));
        if (input.size !== undefined) node.size = input.size === null ? null : checkSize(input.size, at, fail);
        if (input.data !== undefined) node.data = input.data === null ? null : encodeData(input.data, at, fail);
        changes.nodes.set(node.id, node);
        applied.push({ kind: op.kind, nodeId: node.id, edgeId: null, node, edge: null });
        break;
      }
      case FlowOpKind.DELETE_NODE: {
        const node = existingNode();
        // Edges of a deleted node go with it, as explicit ops so replay stays trivial.
        const edgeIds = new Set([...state.edgeIdsOf(node.id), ...(addedEdgesOf.get(node.id) ?? [])]);
        for (const edgeId of edgeIds) {
          const edge = edgeAt(edgeId);
          if (!edge || (edge.source !== node.id && edge.target !== node.id)) continue;
          changes.edges.set(edgeId, null);
          edgeCount -= 1;
          applied.push({ kind: FlowOpKind.DELETE_EDGE, nodeId: null, edgeId, node: null, edge: null });
        }
        changes.nodes.set(node.id, null);
        nodeCount -= 1;
        applied.push({ kind: op.kind, nodeId: node.id, edgeId: null, node: null, edge: null });
        break;
      }
      case FlowOpKind.ADD_EDGE: {
        const input = op.edge ?? fail('edge is required.', `${at}.edge`);
        const id = checkId(input.id ?? op.edgeId ?? randomUUID(), `${at}.edge.id`, fail);
        if (edgeAt(id)) fail(`an edge "${id}" already exists.`, `${at}.edge.id`);
        if (edgeCount >= FLOW_LIMITS.edges) fail(`a flow holds at most ${FLOW_LIMITS.edges} edges.`);
        const edge: EdgeRecord = {
          id,
          source: endpoint(input.source, 'source'),
          target: endpoint(input.target, 'target'),
          label: input.label == null ? null : checkText(input.label, 'label', FLOW_LIMITS.labelLength, at, fail),
          condition: optionalText(input.condition, 'condition', FLOW_LIMITS.conditionLength, at, fail),
        };
        setEdge(edge);
        edgeCount += 1;
        applied.push({ kind: op.kind, nodeId: null, edgeId: id, node: null, edge });
        break;
      }
      case FlowOpKind.UPDATE_EDGE: {
        const edge = { ...existingEdge() };
        const input = op.edge ?? fail('edge is required.', `${at}.edge`);
        if (input.source != null) edge.source = endpoint(input.source, 'source');
        if (input.target != null) edge.target = endpoint(input.target, 'target');
        if (input.label !== undefined) {
          edge.label = input.label === null ? null : checkText(input.label, 'label', FLOW_LIMITS.labelLength, at, fail);
        }
        if (input.condition !== undefined) {
          edge.condition = optionalText(input.condition, 'condition', FLOW_LIMITS.conditionLength, at, fail);
        }
        setEdge(edge);
        applied.push({ kind: op.kind, nodeId: null, edgeId: edge.id, node: null, edge });
        break;
      }
      case FlowOpKind.DELETE_EDGE: {
        const edge = existingEdge();
        changes.edges.set(edge.id, null);
        edgeCount -= 1;
        applied.push({ kind: op.kind, nodeId: null, edgeId: edge.id, node: null, edge: null });
        break;
      }
      default:
        fail('unknown op kind.');
    }
  });

  return { ...changes, applied };
}

/** A `GraphState` over plain arrays (tests, imports). */
export function graphState(graph: FlowRecords): GraphState {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const edges = new Map(graph.edges.map((edge) => [edge.id, edge]));
  return {
    node: (id) => nodes.get(id),
    edge: (id) => edges.get(id),
    nodeCount: nodes.size,
    edgeCount: edges.size,
    edgeIdsOf: (nodeId) =>
      graph.edges.filter((edge) => edge.source === nodeId || edge.target === nodeId).map((edge) => edge.id),
  };
}

/** `planOps` on plain arrays, returning the resulting arrays: `graph` is not modified. */
export function applyOps(graph: FlowRecords, ops: readonly FlowOp[]): FlowRecords & { applied: AppliedOp[] } {
  const planned = planOps(graphState(graph), ops);
  const merge = <T extends { id: string }>(records: T[], changes: Map<string, T | null>): T[] => {
    const result = new Map(records.map((record) => [record.id, record]));
    for (const [id, record] of changes) {
      if (record) result.set(id, record);
      else result.delete(id);
    }
    return [...result.values()];
  };
  return {
    nodes: merge(graph.nodes, planned.nodes),
    edges: merge(graph.edges, planned.edges),
    applied: planned.applied,
  };
}

type Fail = (message: string, field?: string) => never;

function checkId(id: string, field: string, fail: Fail): string {
  const trimmed = id.trim();
  if (trimmed.length === 0 || trimmed.length > FLOW_LIMITS.idLength)
    fail(`ids have 1 to ${FLOW_LIMITS.idLength} characters.`, field);
  return trimmed;
}

function checkText(value: string | null | undefined, name: string, max: number, at: string, fail: Fail): string {
  const text = value?.trim() ?? '';
  if (text.length === 0) fail(`${name} is required.`, `${at}.${name}`);
  if (text.length > max) fail(`${name} has at most ${max} characters.`, `${at}.${name}`);
  return text;
}

/** Empty or absent is null. */
function optionalText(value: string | null | undefined, name: string, max: number, at: string, fail: Fail) {
  const text = value?.trim() ?? '';
  if (text.length > max) fail(`${name} has at most ${max} characters.`, `${at}.${name}`);
  return text.length === 0 ? null : text;
}

function checkType(value: string | null | undefined, at: string, fail: Fail): string {
  const type = checkText(value, 'type', FLOW_LIMITS.labelLength, at, fail);
  if (!isNodeType(type)) {
    fail(
      `type "${type.slice(0, 50)}" is not start, screen, action, decision, end, note or a custom type matching [a-z][a-z0-9_-]{0,39}.`,
      `${at}.type`,
    );
  }
  return type;
}

function checkPosition(position: Point, at: string, fail: Fail): { x: number; y: number } {
  if (!Number.isFinite(position.x) || !Number.isFinite(position.y)) fail('position must be finite.', `${at}.position`);
  return { x: position.x, y: position.y };
}

function checkSize(size: Size, at: string, fail: Fail): Size {
  const ok = (n: number): boolean => Number.isFinite(n) && n > 0 && n <= FLOW_LIMITS.maxDimension;
  if (!ok(size.width) || !ok(size.height)) {
    fail(`size has a width and height above 0 and at most ${FLOW_LIMITS.maxDimension}.`, `${at}.size`);
  }
  return { width: size.width, height: size.height };
}

function encodeData(data: unknown, at: string, fail: Fail): string {
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json) > FLOW_LIMITS.dataBytes)
    fail(`data is larger than ${FLOW_LIMITS.dataBytes} bytes.`, `${at}.data`);
  return json;
}
