import type { FlowGraph, GraphEdge, GraphNode } from '../model.js';

/**
 * What the drawing formats can show: the first node of each id, and edges between
 * existing nodes. They cannot express a duplicate id or an edge to nowhere; JSON keeps both.
 */
export function exportable(graph: FlowGraph): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const seen = new Set<string>();
  const nodes = graph.nodes.filter((node) => !seen.has(node.id) && seen.add(node.id));
  const edges = graph.edges.filter((edge) => seen.has(edge.source) && seen.has(edge.target));
  return { nodes, edges };
}
