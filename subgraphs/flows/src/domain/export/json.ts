import type { FlowGraph, GraphEdge, GraphNode } from '../model.js';

export const FLOW_DOCUMENT_FORMAT = 'ux-flow-engine/flow';
export const FLOW_DOCUMENT_VERSION = 1;

/** The JSON export: versioned so later formats can still read files written today. */
export interface FlowDocument extends FlowGraph {
  format: typeof FLOW_DOCUMENT_FORMAT;
  version: typeof FLOW_DOCUMENT_VERSION;
  name: string;
}

/** A node with only the fields that carry something: no nulls, no undefined. */
export function compactNode(node: GraphNode): GraphNode {
  return {
    id: node.id,
    type: node.type,
    label: node.label,
    position: { x: node.position.x, y: node.position.y },
    ...(node.size ? { size: { width: node.size.width, height: node.size.height } } : {}),
    ...(node.data != null ? { data: node.data } : {}),
  };
}

export function compactEdge(edge: GraphEdge): GraphEdge {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    ...(edge.label != null ? { label: edge.label } : {}),
    ...(edge.condition != null ? { condition: edge.condition } : {}),
  };
}

/** The whole graph as given (duplicates and dangling edges included), for a faithful backup. */
export function exportJson(graph: FlowGraph, name: string): string {
  const document: FlowDocument = {
    format: FLOW_DOCUMENT_FORMAT,
    version: FLOW_DOCUMENT_VERSION,
    name,
    nodes: graph.nodes.map(compactNode),
    edges: graph.edges.map(compactEdge),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
