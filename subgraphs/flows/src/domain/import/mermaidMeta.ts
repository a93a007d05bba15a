import type { Point, Size } from '../model.js';
import {
  readData,
  readId,
  readObject,
  readOptionalText,
  readPosition,
  readSize,
  readType,
  type Fail,
} from './fields.js';
import { mermaidError as error } from './importError.js';

/** What a `%% ufe:node <mermaid id> {json}` comment restores. */
export interface NodeMeta {
  line: number;
  id: string;
  type: string;
  position: Point;
  size: Size | null;
  data: unknown;
}

/** What a `%% ufe:edge <source> <target> {json}` comment restores, for the edge after it. */
export interface EdgeMeta {
  line: number;
  source: string;
  target: string;
  id: string;
  condition: string | null;
}

function metaJson(line: number, kind: string, json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw error(line, `the %% ufe:${kind} comment does not hold valid JSON (${(cause as Error).message}).`);
  }
  return readObject(value, '', metaFail(line, kind));
}

const metaFail =
  (line: number, kind: string): Fail =>
  (message, field) => {
    throw error(line, `in the %% ufe:${kind} comment, ${field || 'the value'} ${message}`);
  };

export function readFlowMeta(line: number, body: string): string | null {
  const meta = metaJson(line, 'flow', body);
  if (meta['version'] !== undefined && meta['version'] !== 1) {
    throw error(line, `this flowchart was written in version ${String(meta['version'])}; this server reads version 1.`);
  }
  return typeof meta['name'] === 'string' ? meta['name'] : null;
}

export function readNodeMeta(line: number, body: string): [string, NodeMeta] {
  const match = /^(\S+)\s+(\{.*\})$/.exec(body);
  if (!match) throw error(line, 'a %% ufe:node comment reads "%% ufe:node <mermaid id> {json}".');
  const meta = metaJson(line, 'node', match[2]!);
  const fail = metaFail(line, 'node');
  return [
    match[1]!,
    {
      line,
      id: readId(meta['id'], 'id', fail),
      type: readType(meta['type'], fail),
      position: readPosition(meta['position'], fail),
      size: readSize(meta['size'], fail),
      data: readData(meta['data'], fail),
    },
  ];
}

export function readEdgeMeta(line: number, body: string): EdgeMeta {
  const match = /^(\S+)\s+(\S+)\s+(\{.*\})$/.exec(body);
  if (!match) throw error(line, 'a %% ufe:edge comment reads "%% ufe:edge <source> <target> {json}".');
  const meta = metaJson(line, 'edge', match[3]!);
  const fail = metaFail(line, 'edge');
  return {
    line,
    source: match[1]!,
    target: match[2]!,
    id: readId(meta['id'], 'id', fail),
    condition: readOptionalText(meta['condition'], 'condition', fail),
  };
}
