import { randomUUID } from 'node:crypto';
import { badUserInput } from '../../../../internal/errors/index.js';
import type { EdgeRecord, NodeRecord } from '../flow/flow.model.js';
import { FlowOpKind, type FlowNodeInput, type FlowOpInput, type PositionInput } from './ops.input.js';

/** An op as applied: adds, updates and moves carry the whole resulting record. */
export interface AppliedOp {
  kind: FlowOpKind;
  nodeId: string | null;
  edgeId: string | null;
  node: NodeRecord | null;
  edge: EdgeRecord | null;
}

export interface FlowGraph {
  nodes: NodeRecord[];
  edges: EdgeRecord[];
}

export const LIMITS = {
  opsPerCall: 500,
  nodesPerFlow: 2_000,
  edgesPerFlow: 5_000,
  labelLength: 500,
  typeLength: 64,
  idLength: 128,
  dataBytes: 16_384,
} as const;

/**
 * Applies ops in order to a copy of `graph`. Any invalid op rejects the whole batch
 * (the error names the op's index), so nothing is ever partially applied.
 */
export function applyOps(graph: FlowGraph, ops: readonly FlowOpInput[]): FlowGraph & { applied: AppliedOp[] } {
  if (ops.length === 0) throw badUserInput('Give at least one op.', 'ops');
  if (ops.length > LIMITS.opsPerCall) throw badUserInput(`Give at most ${LIMITS.opsPerCall} ops per call.`, 'ops');
  const nodes = new Map(graph.nodes.map((node) => [node.id, { ...node }]));
  const edges = new Map(graph.edges.map((edge) => [edge.id, { ...edge }]));
  const applied: AppliedOp[] = [];

  ops.forEach((op, index) => {
    const at = `ops[${index}]`;
    const fail = (message: string, field = at): never => {
      throw badUserInput(`${at} (${op.kind}): ${message}`, field);
    };
    const existingNode = (): NodeRecord => {
      const id = op.nodeId ?? op.node?.id;
      if (!id) return fail('nodeId is required.', `${at}.nodeId`);
      return nodes.get(id) ?? fail(`there is no node "${id}".`, `${at}.nodeId`);
    };
    const existingEdge = (): EdgeRecord => {
      const id = op.edgeId ?? op.edge?.id;
      if (!id) return fail('edgeId is required.', `${at}.edgeId`);
      return edges.get(id) ?? fail(`there is no edge "${id}".`, `${at}.edgeId`);
    };
    const endpoint = (id: string | null | undefined, field: 'source' | 'target'): string => {
      if (!id) return fail(`edge.${field} is required.`, `${at}.edge.${field}`);
      if (!nodes.has(id)) return fail(`edge.${field} "${id}" is not a node of this flow.`, `${at}.edge.${field}`);
      return id;
    };

    switch (op.kind) {
      case FlowOpKind.ADD_NODE: {
        const input = op.node ?? fail('node is required.', `${at}.node`);
        const id = checkId(input.id ?? op.nodeId ?? randomUUID(), `${at}.node.id`, fail);
        if (nodes.has(id)) fail(`a node "${id}" already exists.`, `${at}.node.id`);
        if (nodes.size >= LIMITS.nodesPerFlow) fail(`a flow holds at most ${LIMITS.nodesPerFlow} nodes.`);
        const position = input.position ?? { x: 0, y: 0 };
        const node: NodeRecord = {
          id,
          type: checkText(input.type, 'type', LIMITS.typeLength, at, fail),
          label: checkText(input.label, 'label', LIMITS.labelLength, at, fail),
          ...checkPosition(position, at, fail),
          data: input.data === undefined ? null : encodeData(input.data, at, fail),
        };
        nodes.set(id, node);
        applied.push({ kind: op.kind, nodeId: id, edgeId: null, node: { ...node }, edge: null });
        break;
      }
      case FlowOpKind.UPDATE_NODE:
      case FlowOpKind.MOVE_NODE: {
        const node = existingNode();
        const input: FlowNodeInput = op.node ?? fail('node is required.', `${at}.node`);
        if (op.kind === FlowOpKind.MOVE_NODE && !input.position) fail('node.position is required.');
        if (input.type != null) node.type = checkText(input.type, 'type', LIMITS.typeLength, at, fail);
        if (input.label != null) node.label = checkText(input.label, 'label', LIMITS.labelLength, at, fail);
        if (input.position) Object.assign(node, checkPosition(input.position, at, fail));
        if (input.data !== undefined) node.data = input.data === null ? null : encodeData(input.data, at, fail);
        applied.push({ kind: op.kind, nodeId: node.id, edgeId: null, node: { ...node }, edge: null });
        break;
      }
      case FlowOpKind.DELETE_NODE: {
        const node = existingNode();
        // Edges of a deleted node go with it, as explicit ops so replay stays trivial.
        for (const edge of [...edges.values()]) {
          if (edge.source === node.id || edge.target === node.id) {
            edges.delete(edge.id);
            applied.push({ kind: FlowOpKind.DELETE_EDGE, nodeId: null, edgeId: edge.id, node: null, edge: null });
          }
        }
        nodes.delete(node.id);
        applied.push({ kind: op.kind, nodeId: node.id, edgeId: null, node: null, edge: null });
        break;
      }
      case FlowOpKind.ADD_EDGE: {
        const input = op.edge ?? fail('edge is required.', `${at}.edge`);
        const id = checkId(input.id ?? op.edgeId ?? randomUUID(), `${at}.edge.id`, fail);
        if (edges.has(id)) fail(`an edge "${id}" already exists.`, `${at}.edge.id`);
        if (edges.size >= LIMITS.edgesPerFlow) fail(`a flow holds at most ${LIMITS.edgesPerFlow} edges.`);
        const edge: EdgeRecord = {
          id,
          source: endpoint(input.source, 'source'),
          target: endpoint(input.target, 'target'),
          label: input.label == null ? null : checkText(input.label, 'label', LIMITS.labelLength, at, fail),
        };
        edges.set(id, edge);
        applied.push({ kind: op.kind, nodeId: null, edgeId: id, node: null, edge: { ...edge } });
        break;
      }
      case FlowOpKind.UPDATE_EDGE: {
        const edge = existingEdge();
        const input = op.edge ?? fail('edge is required.', `${at}.edge`);
        if (input.source != null) edge.source = endpoint(input.source, 'source');
        if (input.target != null) edge.target = endpoint(input.target, 'target');
        if (input.label !== undefined) {
          edge.label = input.label === null ? null : checkText(input.label, 'label', LIMITS.labelLength, at, fail);
        }
        applied.push({ kind: op.kind, nodeId: null, edgeId: edge.id, node: null, edge: { ...edge } });
        break;
      }
      case FlowOpKind.DELETE_EDGE: {
        const edge = existingEdge();
        edges.delete(edge.id);
        applied.push({ kind: op.kind, nodeId: null, edgeId: edge.id, node: null, edge: null });
        break;
      }
      default:
        fail('unknown op kind.');
    }
  });

  return { nodes: [...nodes.values()], edges: [...edges.values()], applied };
}

type Fail = (message: string, field?: string) => never;

function checkId(id: string, field: string, fail: Fail): string {
  const trimmed = id.trim();
  if (trimmed.length === 0 || trimmed.length > LIMITS.idLength)
    fail(`ids have 1 to ${LIMITS.idLength} characters.`, field);
  return trimmed;
}

function checkText(value: string | null | undefined, name: string, max: number, at: string, fail: Fail): string {
  const text = value?.trim() ?? '';
  if (text.length === 0) fail(`${name} is required.`, `${at}.${name}`);
  if (text.length > max) fail(`${name} has at most ${max} characters.`, `${at}.${name}`);
  return text;
}

function checkPosition(position: PositionInput, at: string, fail: Fail): { x: number; y: number } {
  if (!Number.isFinite(position.x) || !Number.isFinite(position.y)) fail('position must be finite.', `${at}.position`);
  return { x: position.x, y: position.y };
}

function encodeData(data: unknown, at: string, fail: Fail): string {
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json) > LIMITS.dataBytes) fail(`data is larger than ${LIMITS.dataBytes} bytes.`, `${at}.data`);
  return json;
}
