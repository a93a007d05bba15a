import type { FlowGraph, GraphEdge, GraphNode } from './model.js';

/**
 * The graph as validation and analytics see it. Nodes are indexed by their first
 * occurrence (a duplicate id is reported, not guessed at). Only "flow edges" count as
 * steps: both ends exist and neither is a note, since an arrow to a note annotates a
 * step rather than leading somewhere.
 */
export interface Topology {
  nodes: GraphNode[];
  indexOf: ReadonlyMap<string, number>;
  /** Outgoing flow edges per node index, in graph order. */
  out: GraphEdge[][];
  /** Distinct successor indices per node index, in first-seen order. */
  next: number[][];
  /** Distinct predecessor indices per node index. */
  prev: number[][];
  starts: number[];
  ends: number[];
  isNote: boolean[];
}

export function topologyOf(graph: FlowGraph): Topology {
  const nodes: GraphNode[] = [];
  const indexOf = new Map<string, number>();
  for (const node of graph.nodes) {
    if (indexOf.has(node.id)) continue;
    indexOf.set(node.id, nodes.length);
    nodes.push(node);
  }
  const isNote = nodes.map((node) => node.type === 'note');
  const out = nodes.map((): GraphEdge[] => []);
  const next = nodes.map((): number[] => []);
  const prev = nodes.map((): number[] => []);
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const from = indexOf.get(edge.source);
    const to = indexOf.get(edge.target);
    if (from === undefined || to === undefined || isNote[from] || isNote[to]) continue;
    out[from]!.push(edge);
    // Parallel edges are one step for path searches: dedupe so they don't multiply work.
    const pair = `${from}:${to}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    next[from]!.push(to);
    prev[to]!.push(from);
  }
  const ofType = (type: string): number[] => nodes.flatMap((node, i) => (node.type === type ? [i] : []));
  return { nodes, indexOf, out, next, prev, starts: ofType('start'), ends: ofType('end'), isNote };
}

/** Breadth-first reachability from `sources` along `adjacency`. */
export function reachable(sources: readonly number[], adjacency: readonly (readonly number[])[]): boolean[] {
  const seen = adjacency.map(() => false);
  const queue = [...sources];
  for (const source of sources) seen[source] = true;
  for (let head = 0; head < queue.length; head++) {
    for (const to of adjacency[queue[head]!]!) {
      if (seen[to]) continue;
      seen[to] = true;
      queue.push(to);
    }
  }
  return seen;
}

/** Steps a user cannot leave: not an end, not a note, and no outgoing flow edge. */
export const deadEnds = (topology: Topology): number[] =>
  topology.nodes.flatMap((node, i) =>
    node.type !== 'end' && !topology.isNote[i] && topology.out[i]!.length === 0 ? [i] : [],
  );
