import * as Y from 'yjs';
import type { EdgeRecord, NodeRecord, Size as SizeRecord } from '../domain/model.js';
import { isNodeType } from '../domain/model.js';
import type { GraphChanges } from '../domain/applyOps.js';
import { FLOW_LIMITS } from '../domain/model.js';

/**
 * The shape of a flow's Yjs document: two root maps keyed by id, `nodes` and `edges`,
 * whose values are maps of plain fields. A position or size is one value (`{ x, y }`,
 * `{ width, height }`) so concurrent moves never mix one's x with another's y; node `data`
 * is a JSON string, as in the store.
 */
export type FieldMap = Y.Map<unknown>;

export const nodesOf = (doc: Y.Doc): Y.Map<FieldMap> => doc.getMap<FieldMap>('nodes');
export const edgesOf = (doc: Y.Doc): Y.Map<FieldMap> => doc.getMap<FieldMap>('edges');

const NODE_KEYS = new Set(['type', 'label', 'position', 'size', 'data']);
const EDGE_KEYS = new Set(['source', 'target', 'label', 'condition']);

const nodeFields = (node: NodeRecord): [string, unknown][] => [
  ['type', node.type],
  ['label', node.label],
  ['position', { x: node.x, y: node.y }],
  ['size', node.size ? { width: node.size.width, height: node.size.height } : null],
  ['data', node.data],
];

const edgeFields = (edge: EdgeRecord): [string, unknown][] => [
  ['source', edge.source],
  ['target', edge.target],
  ['label', edge.label],
  ['condition', edge.condition ?? null],
];

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (a !== null && b !== null && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));

function writeRecord(map: Y.Map<FieldMap>, id: string, fields: [string, unknown][] | null): void {
  if (!fields) {
    map.delete(id);
    return;
  }
  const existing = map.get(id);
  if (!(existing instanceof Y.Map)) {
    map.set(id, new Y.Map<unknown>(fields));
    return;
  }
  // Only the fields that changed: a concurrent edit of another field survives.
  for (const [key, value] of fields) if (!sameValue(existing.get(key), value)) existing.set(key, value);
}

/** Writes validated changes (see `planOps`) into the document, in one transaction. */
export function writeChanges(doc: Y.Doc, changes: GraphChanges, origin: unknown): void {
  const nodes = nodesOf(doc);
  const edges = edgesOf(doc);
  doc.transact(() => {
    // Edges first, so no state in between has an edge to a deleted node.
    for (const [id, edge] of changes.edges) if (!edge) writeRecord(edges, id, null);
    for (const [id, node] of changes.nodes) writeRecord(nodes, id, node ? nodeFields(node) : null);
    for (const [id, edge] of changes.edges) if (edge) writeRecord(edges, id, edgeFields(edge));
  }, origin);
}

/** A record read from the document, or why it is not a valid one. */
export type Read<T> = { record: T } | { problem: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Y.AbstractType);

const text = (value: unknown, name: string, max: number, required: boolean): string | null => {
  if (value === null || value === undefined) {
    if (required) throw new Error(`${name} is required`);
    return null;
  }
  if (typeof value !== 'string') throw new Error(`${name} must be a string`);
  const trimmed = value.trim();
  if (required && trimmed.length === 0) throw new Error(`${name} is required`);
  if (trimmed.length > max) throw new Error(`${name} has at most ${max} characters`);
  return value;
};

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function readSize(value: unknown): SizeRecord | null {
  if (value === null || value === undefined) return null;
  const ok = (n: unknown): n is number => finite(n) && n > 0 && n <= FLOW_LIMITS.maxDimension;
  if (!isObject(value) || !ok(value['width']) || !ok(value['height'])) throw new Error('size is not a valid size');
  return { width: value['width'], height: value['height'] };
}

function readData(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error('data must be a JSON string');
  if (Buffer.byteLength(value) > FLOW_LIMITS.dataBytes)
    throw new Error(`data is larger than ${FLOW_LIMITS.dataBytes} bytes`);
  JSON.parse(value);
  return value;
}

function checkKeys(map: FieldMap, allowed: Set<string>): void {
  for (const key of map.keys()) if (!allowed.has(key)) throw new Error(`unknown field "${key.slice(0, 40)}"`);
}

/** The node `id` as the document holds it; every field is checked, as pushed updates may hold anything. */
export function readNode(doc: Y.Doc, id: string): Read<NodeRecord> | null {
  const value = nodesOf(doc).get(id);
  if (value === undefined) return null;
  try {
    if (!(value instanceof Y.Map)) throw new Error('is not a map of fields');
    if (id.length === 0 || id.length > FLOW_LIMITS.idLength)
      throw new Error(`ids have 1 to ${FLOW_LIMITS.idLength} characters`);
    checkKeys(value, NODE_KEYS);
    const type = text(value.get('type'), 'type', 40, true) ?? '';
    if (!isNodeType(type)) throw new Error(`type "${type}" is not a known or custom node type`);
    const position = value.get('position');
    if (!isObject(position) || !finite(position['x']) || !finite(position['y'])) {
      throw new Error('position must have finite x and y');
    }
    return {
      record: {
        id,
        type,
        label: text(value.get('label'), 'label', FLOW_LIMITS.labelLength, true) ?? '',
        x: position['x'],
        y: position['y'],
        size: readSize(value.get('size')),
        data: readData(value.get('data')),
      },
    };
  } catch (error) {
    return { problem: `node "${id.slice(0, 128)}": ${(error as Error).message}` };
  }
}

/** The edge `id` as the document holds it, checked; whether its ends exist is the caller's business. */
export function readEdge(doc: Y.Doc, id: string): Read<EdgeRecord> | null {
  const value = edgesOf(doc).get(id);
  if (value === undefined) return null;
  try {
    if (!(value instanceof Y.Map)) throw new Error('is not a map of fields');
    if (id.length === 0 || id.length > FLOW_LIMITS.idLength)
      throw new Error(`ids have 1 to ${FLOW_LIMITS.idLength} characters`);
    checkKeys(value, EDGE_KEYS);
    return {
      record: {
        id,
        source: text(value.get('source'), 'source', FLOW_LIMITS.idLength, true) ?? '',
        target: text(value.get('target'), 'target', FLOW_LIMITS.idLength, true) ?? '',
        label: text(value.get('label'), 'label', FLOW_LIMITS.labelLength, false),
        condition: text(value.get('condition'), 'condition', FLOW_LIMITS.conditionLength, false),
      },
    };
  } catch (error) {
    return { problem: `edge "${id.slice(0, 128)}": ${(error as Error).message}` };
  }
}

/** The node and edge ids a transaction touched, from Yjs's own record of changed types. */
export function touchedIds(doc: Y.Doc, transaction: Y.Transaction): { nodes: string[]; edges: string[] } {
  // Compared by identity only.
  const nodes: unknown = nodesOf(doc);
  const edges: unknown = edgesOf(doc);
  const touched = { nodes: [] as string[], edges: [] as string[] };
  for (const [type, keys] of transaction.changed) {
    const parent = type._item?.parent;
    const key = type._item?.parentSub;
    const into =
      type === nodes || parent === nodes ? touched.nodes : type === edges || parent === edges ? touched.edges : null;
    if (!into) continue;
    if (type === nodes || type === edges) {
      for (const id of keys) if (id !== null) into.push(id);
    } else if (typeof key === 'string') {
      into.push(key);
    }
  }
  return touched;
}

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Strict base64 (standard alphabet, padding optional); null when it is not. */
export function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** The update of a document with nothing in it. */
export const EMPTY_UPDATE: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc());
