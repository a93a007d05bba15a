import { FLOW_LIMITS, type GraphEdge, type GraphNode } from '../model.js';
import { FLOW_DOCUMENT_FORMAT, FLOW_DOCUMENT_VERSION } from '../export/json.js';
import {
  readData,
  readId,
  readLabel,
  readObject,
  readOptionalText,
  readPosition,
  readSize,
  readType,
  type Fail,
} from './fields.js';
import { checkInputSize, FlowImportError } from './importError.js';
import type { ImportedFlow } from './types.js';

const failAt =
  (path: string): Fail =>
  (message, field) => {
    const at = field ? `${path}.${field}` : path;
    throw new FlowImportError('JSON', `${at}: ${message}`, { path: at });
  };

/**
 * Reads the document `exportJson` writes (`format` and `version` may be left out by hand).
 * Every problem throws with the JSON path at fault; nothing is returned half-read.
 */
export function importJson(text: string): ImportedFlow {
  checkInputSize(text, 'JSON');
  const root = readObject(parse(text), '', (message) => {
    throw new FlowImportError('JSON', `$: the document ${message}`, { path: '$' });
  });
  const fail = failAt('$');
  if (root['format'] !== undefined && root['format'] !== FLOW_DOCUMENT_FORMAT) {
    fail(`must be "${FLOW_DOCUMENT_FORMAT}".`, 'format');
  }
  if (root['version'] !== undefined && root['version'] !== FLOW_DOCUMENT_VERSION) {
    fail(`must be ${FLOW_DOCUMENT_VERSION}: this server reads version ${FLOW_DOCUMENT_VERSION} documents.`, 'version');
  }
  if (root['name'] != null && typeof root['name'] !== 'string') fail('must be a string.', 'name');
  const nodes = list(root['nodes'], 'nodes', FLOW_LIMITS.nodes).map(readNode);
  const edges = list(root['edges'], 'edges', FLOW_LIMITS.edges).map(readEdge);

  const nodeIds = new Map<string, number>();
  nodes.forEach((node, i) => {
    const first = nodeIds.get(node.id);
    if (first !== undefined) failAt(`$.nodes[${i}]`)(`repeats the id "${node.id}" of $.nodes[${first}].`, 'id');
    nodeIds.set(node.id, i);
  });
  const edgeIds = new Map<string, number>();
  edges.forEach((edge, i) => {
    const at = failAt(`$.edges[${i}]`);
    const first = edgeIds.get(edge.id);
    if (first !== undefined) at(`repeats the id "${edge.id}" of $.edges[${first}].`, 'id');
    edgeIds.set(edge.id, i);
    if (!nodeIds.has(edge.source)) at(`"${edge.source}" is not the id of a node.`, 'source');
    if (!nodeIds.has(edge.target)) at(`"${edge.target}" is not the id of a node.`, 'target');
  });
  return { name: typeof root['name'] === 'string' ? root['name'] : null, graph: { nodes, edges } };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // V8 reports an offset ("at position 12"); people want a line and column.
    const offset = /position (\d+)/.exec(message)?.[1];
    if (offset === undefined) throw new FlowImportError('JSON', `The input is not valid JSON: ${message}`);
    const before = text.slice(0, Number(offset));
    const line = before.split('\n').length;
    const column = Number(offset) - before.lastIndexOf('\n');
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, '');
    throw new FlowImportError('JSON', `The input is not valid JSON at line ${line}, column ${column}: ${reason}.`, {
      line,
      column,
    });
  }
}

function list(value: unknown, key: 'nodes' | 'edges', max: number): unknown[] {
  const fail = failAt('$');
  if (!Array.isArray(value)) return fail('must be an array.', key);
  if (value.length > max) fail(`has ${value.length} items; a flow holds at most ${max} ${key}.`, key);
  return value;
}

function readNode(value: unknown, index: number): GraphNode {
  const fail = failAt(`$.nodes[${index}]`);
  const node = readObject(value, '', fail);
  const id = readId(node['id'], 'id', fail);
  const type = readType(node['type'], fail);
  const label = readLabel(node['label'], 'label', fail);
  const position = readPosition(node['position'], fail);
  const size = readSize(node['size'], fail);
  const data = readData(node['data'], fail);
  return {
    id,
    type,
    label,
    position,
    ...(size ? { size } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}

function readEdge(value: unknown, index: number): GraphEdge {
  const fail = failAt(`$.edges[${index}]`);
  const edge = readObject(value, '', fail);
  const id = readId(edge['id'], 'id', fail);
  const source = readId(edge['source'], 'source', fail);
  const target = readId(edge['target'], 'target', fail);
  const label = readOptionalText(edge['label'], 'label', fail);
  const condition = readOptionalText(edge['condition'], 'condition', fail);
  return {
    id,
    source,
    target,
    ...(label !== null ? { label } : {}),
    ...(condition !== null ? { condition } : {}),
  };
}
