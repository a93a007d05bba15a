import { isKnownNodeType, type FlowGraph, type KnownNodeType } from '../model.js';
import { encodeMermaidText, oneLineJson } from '../mermaidText.js';
import { FLOW_DOCUMENT_FORMAT, FLOW_DOCUMENT_VERSION } from './json.js';
import { exportable } from './exportable.js';

/** Metadata comments: Mermaid ignores them, our import reads them back. */
export const MERMAID_META = { flow: '%% ufe:flow', node: '%% ufe:node', edge: '%% ufe:edge' } as const;

/** Open and close of each type's shape; custom types get the subroutine box. */
const SHAPES: Readonly<Record<KnownNodeType | 'custom', readonly [string, string]>> = {
  start: ['([', '])'],
  end: ['([', '])'],
  screen: ['[', ']'],
  action: ['(', ')'],
  decision: ['{', '}'],
  note: ['>', ']'],
  custom: ['[[', ']]'],
};

export const mermaidShape = (type: string): readonly [string, string] =>
  SHAPES[isKnownNodeType(type) ? type : 'custom'];

/**
 * A `flowchart TD`. Node ids become `n0`, `n1`, … (user ids may be any string, and words
 * like `end` break Mermaid); a `%% ufe:node` comment keeps each original id with its type,
 * position, size and data, and a `%% ufe:edge` comment before each edge keeps its id and
 * condition, so our import restores the graph exactly.
 */
export function exportMermaid(graph: FlowGraph, name: string): string {
  const { nodes, edges } = exportable(graph);
  const safeId = new Map(nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = [
    'flowchart TD',
    `  ${MERMAID_META.flow} ${oneLineJson({ format: FLOW_DOCUMENT_FORMAT, version: FLOW_DOCUMENT_VERSION, name })}`,
  ];
  nodes.forEach((node, i) => {
    const meta = {
      id: node.id,
      type: node.type,
      position: node.position,
      ...(node.size ? { size: node.size } : {}),
      ...(node.data != null ? { data: node.data } : {}),
    };
    const [open, close] = mermaidShape(node.type);
    lines.push(`  ${MERMAID_META.node} n${i} ${oneLineJson(meta)}`);
    lines.push(`  n${i}${open}"${encodeMermaidText(node.label)}"${close}`);
  });
  for (const edge of edges) {
    const source = safeId.get(edge.source)!;
    const target = safeId.get(edge.target)!;
    const meta = { id: edge.id, ...(edge.condition != null ? { condition: edge.condition } : {}) };
    const label = edge.label != null ? `|"${encodeMermaidText(edge.label)}"|` : '';
    lines.push(`  ${MERMAID_META.edge} ${source} ${target} ${oneLineJson(meta)}`);
    lines.push(`  ${source} -->${label} ${target}`);
  }
  return `${lines.join('\n')}\n`;
}
