import { isKnownNodeType, type FlowGraph, type KnownNodeType } from '../model.js';
import { exportable } from './exportable.js';

const SHAPES: Readonly<Record<KnownNodeType | 'custom', string>> = {
  start: 'shape=oval, style=filled, fillcolor="#e3f6e8"',
  end: 'shape=oval, peripheries=2, style=filled, fillcolor="#fde8e8"',
  screen: 'shape=box',
  action: 'shape=box, style=rounded',
  decision: 'shape=diamond, style=filled, fillcolor="#fff6db"',
  note: 'shape=note, style=filled, fillcolor="#fffbe6"',
  custom: 'shape=box, style=dashed',
};

/**
 * A DOT quoted string. Graphviz reads `\\`, `\"` and `\n` in labels and decodes HTML
 * entities in them, so `&` is written `&amp;`; the Unicode line separators, which DOT
 * parsers reject raw, are written as entities. Ids get the same treatment so one decoding
 * recovers every string. Carriage returns become plain line breaks: in a label `\r`
 * would mean "right-justify".
 */
export const dotString = (text: string): string =>
  `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/&/g, '&amp;')
    .replace(/\u2028/g, '&#8232;')
    .replace(/\u2029/g, '&#8233;')
    .replace(/\r\n|\r|\n/g, '\\n')}"`;

/** A `digraph` for Graphviz: node ids and labels quoted, shape by type, `class` naming the type. */
export function exportDot(graph: FlowGraph, name: string): string {
  const { nodes, edges } = exportable(graph);
  const lines = [
    `digraph ${dotString(name)} {`,
    '  graph [rankdir=TB, fontname="Helvetica"];',
    '  node [fontname="Helvetica", fontsize=12];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const node of nodes) {
    const shape = SHAPES[isKnownNodeType(node.type) ? node.type : 'custom'];
    lines.push(`  ${dotString(node.id)} [label=${dotString(node.label)}, ${shape}, class=${dotString(node.type)}];`);
  }
  for (const edge of edges) {
    const attributes = [`id=${dotString(edge.id)}`];
    if (edge.label != null) attributes.push(`label=${dotString(edge.label)}`);
    // Graphviz shows an edge tooltip on hover in SVG output: a natural home for the guard.
    if (edge.condition != null) attributes.push(`tooltip=${dotString(edge.condition)}`);
    lines.push(`  ${dotString(edge.source)} -> ${dotString(edge.target)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
