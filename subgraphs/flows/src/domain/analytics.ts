import type { FlowGraph } from './model.js';
import { deadEnds, reachable, topologyOf } from './topology.js';

export interface FlowPath {
  nodeIds: string[];
  /** Number of edges walked. */
  length: number;
}

export interface FlowAnalytics {
  nodeCount: number;
  edgeCount: number;
  nodesByType: Record<string, number>;
  /** Fewest edges from any start to any end; null when no end can be reached. */
  shortestPath: FlowPath | null;
  /** Most edges on a simple start→end path; see `longestPathExact`. */
  longestPath: FlowPath | null;
  /** False when the search budget ran out on a cyclic flow: then `longestPath` is a lower bound. */
  longestPathExact: boolean;
  /** Mean out-degree of the nodes that have outgoing edges. */
  branchingFactor: number;
  deadEndIds: string[];
  /**
   * Expected edges walked from a start to an end when a user picks uniformly among the
   * next steps that can still lead to an end, starting at a uniformly chosen start. Loop-back
   * edges (retries, "go back") are assumed not taken, so on cyclic flows this is the
   * estimate for users who never go back. Null when no end can be reached.
   */
  estimatedSteps: number | null;
  /** True when some start→end route can loop. */
  cyclic: boolean;
}

export interface AnalyzeOptions {
  /**
   * Edge expansions the exact longest-path search may spend on a cyclic flow (the
   * problem is NP-hard there); past it the best path found so far is reported.
   * @default 100000
   */
  longestPathBudget?: number;
}

/**
 * Counts and path measures over the flow edges (see `topology.ts`). An end node ends a
 * path: a user who reaches one has completed the flow, whatever edges leave it.
 */
export function analyzeFlow(graph: FlowGraph, options: AnalyzeOptions = {}): FlowAnalytics {
  const topology = topologyOf(graph);
  const { nodes } = topology;
  const nodesByType: Record<string, number> = {};
  for (const node of graph.nodes) nodesByType[node.type] = (nodesByType[node.type] ?? 0) + 1;
  const withOut = topology.out.filter((edges) => edges.length > 0);
  const base = {
    nodeCount: graph.nodes.length,
    edgeCount: graph.edges.length,
    nodesByType,
    branchingFactor: withOut.length === 0 ? 0 : withOut.reduce((sum, e) => sum + e.length, 0) / withOut.length,
    deadEndIds: deadEnds(topology).map((i) => nodes[i]!.id),
  };

  const isEnd = nodes.map((node) => node.type === 'end');
  const walk = topology.next.map((next, i) => (isEnd[i] ? [] : next));
  const fromStart = reachable(topology.starts, walk);
  const toEnd = reachable(topology.ends, reverse(walk));
  const useful = nodes.map((_, i) => fromStart[i]! && toEnd[i]!);
  const starts = topology.starts.filter((i) => useful[i]);
  if (starts.length === 0) {
    return {
      ...base,
      shortestPath: null,
      longestPath: null,
      longestPathExact: true,
      estimatedSteps: null,
      cyclic: false,
    };
  }
  const next = walk.map((list, i) => (useful[i] ? list.filter((j) => useful[j]) : []));
  const toPath = (path: number[]): FlowPath => ({ nodeIds: path.map((i) => nodes[i]!.id), length: path.length - 1 });

  // Dropping the edges a depth-first search finds closing a loop leaves a DAG that still
  // leads from the first start to an end (along its tree edges); it carries the
  // linear-time measures and a lower bound for the longest simple path.
  const dag = withoutBackEdges(starts, next);
  const cyclic = dag.some((list, i) => list.length < next[i]!.length);
  const order = topologicalOrder(dag);
  const dagToEnd = reachable(topology.ends, reverse(dag));

  let longest = longestInDag(starts, dag, order, isEnd);
  let exact = !cyclic;
  if (cyclic) {
    const usefulCount = useful.filter(Boolean).length;
    const search = longestSimplePath(starts, next, isEnd, usefulCount, longest, options.longestPathBudget ?? 100_000);
    longest = search.path;
    exact = search.exact;
  }

  return {
    ...base,
    shortestPath: toPath(shortestPath(starts, next, isEnd)),
    longestPath: toPath(longest),
    longestPathExact: exact,
    estimatedSteps: expectedSteps(starts, dag, order, isEnd, dagToEnd),
    cyclic,
  };
}

function reverse(adjacency: readonly number[][]): number[][] {
  const result = adjacency.map((): number[] => []);
  adjacency.forEach((list, from) => list.forEach((to) => result[to]!.push(from)));
  return result;
}

/** Breadth-first from all starts at once; the first end dequeued is a nearest one. */
function shortestPath(starts: number[], next: number[][], isEnd: boolean[]): number[] {
  const parent = new Map<number, number>(starts.map((s) => [s, -1]));
  const queue = [...starts];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head]!;
    if (isEnd[at]) return unwind(parent, at);
    for (const to of next[at]!) {
      if (parent.has(to)) continue;
      parent.set(to, at);
      queue.push(to);
    }
  }
  throw new Error('unreachable: every useful start reaches an end');
}

function unwind(parent: ReadonlyMap<number, number>, last: number): number[] {
  const path: number[] = [];
  for (let at = last; at !== -1; at = parent.get(at)!) path.push(at);
  return path.reverse();
}

function withoutBackEdges(starts: number[], next: number[][]): number[][] {
  const state = next.map(() => 0); // 0 unseen, 1 on the DFS stack, 2 done
  const back = next.map(() => new Set<number>());
  for (const start of starts) {
    if (state[start] !== 0) continue;
    const stack: [number, number][] = [[start, 0]];
    state[start] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const [at, cursor] = frame;
      if (cursor === next[at]!.length) {
        state[at] = 2;
        stack.pop();
        continue;
      }
      frame[1]++;
      const to = next[at]![cursor]!;
      if (state[to] === 1) back[at]!.add(to);
      else if (state[to] === 0) {
        state[to] = 1;
        stack.push([to, 0]);
      }
    }
  }
  return next.map((list, i) => list.filter((to) => !back[i]!.has(to)));
}

/** Kahn's algorithm; `dag` must be acyclic. */
function topologicalOrder(dag: number[][]): number[] {
  const inDegree = dag.map(() => 0);
  dag.forEach((list) => list.forEach((to) => inDegree[to]!++));
  const order = dag.flatMap((_, i) => (inDegree[i] === 0 ? [i] : []));
  for (let head = 0; head < order.length; head++) {
    for (const to of dag[order[head]!]!) if (--inDegree[to]! === 0) order.push(to);
  }
  return order;
}

function longestInDag(starts: number[], dag: number[][], order: number[], isEnd: boolean[]): number[] {
  const distance = dag.map(() => -1);
  const parent = new Map<number, number>();
  for (const start of starts) {
    distance[start] = 0;
    parent.set(start, -1);
  }
  let best = -1;
  for (const at of order) {
    if (distance[at]! < 0) continue;
    if (isEnd[at] && (best < 0 || distance[at]! > distance[best]!)) best = at;
    for (const to of dag[at]!) {
      if (distance[at]! + 1 <= distance[to]!) continue;
      distance[to] = distance[at]! + 1;
      parent.set(to, at);
    }
  }
  return unwind(parent, best);
}

/**
 * Depth-first enumeration of simple paths, keeping the longest that ends at an end.
 * Stops early once a path visits every useful node (nothing can be longer) and gives up,
 * inexact, after `budget` edge expansions.
 */
function longestSimplePath(
  starts: number[],
  next: number[][],
  isEnd: boolean[],
  usefulCount: number,
  seed: number[],
  budget: number,
): { path: number[]; exact: boolean } {
  let best = seed;
  let spent = 0;
  const onPath = next.map(() => false);
  for (const start of starts) {
    const path = [start];
    const cursors = [0];
    onPath[start] = true;
    while (path.length > 0) {
      if (best.length === usefulCount) return { path: best, exact: true };
      const depth = path.length - 1;
      const at = path[depth]!;
      const cursor = cursors[depth]!;
      if (cursor === next[at]!.length) {
        onPath[at] = false;
        path.pop();
        cursors.pop();
        continue;
      }
      cursors[depth] = cursor + 1;
      const to = next[at]![cursor]!;
      if (onPath[to]) continue;
      if (++spent > budget) return { path: best, exact: false };
      onPath[to] = true;
      path.push(to);
      cursors.push(0);
      if (isEnd[to] && path.length > best.length) best = [...path];
    }
  }
  return { path: best, exact: true };
}

/** Expected edges to an end under uniform choice among next steps that can still end. */
function expectedSteps(starts: number[], dag: number[][], order: number[], isEnd: boolean[], toEnd: boolean[]): number {
  const expected = dag.map(() => 0);
  for (let k = order.length - 1; k >= 0; k--) {
    const at = order[k]!;
    if (isEnd[at] || !toEnd[at]) continue;
    const options = dag[at]!.filter((to) => toEnd[to]);
    expected[at] = 1 + options.reduce((sum, to) => sum + expected[to]!, 0) / options.length;
  }
  // A start whose only way to an end loops back through another start's route is left out.
  const counted = starts.filter((start) => toEnd[start]);
  return counted.reduce((sum, start) => sum + expected[start]!, 0) / counted.length;
}
