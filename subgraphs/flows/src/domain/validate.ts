import { isNodeType, type FlowGraph } from './model.js';
import { deadEnds, reachable, topologyOf } from './topology.js';

/** Problem codes, in the order `validateFlow` reports them. */
export enum FlowProblemCode {
  DUPLICATE_NODE_ID = 'DUPLICATE_NODE_ID',
  DUPLICATE_EDGE_ID = 'DUPLICATE_EDGE_ID',
  /** Neither a known type nor a custom slug; exporters would have to guess its shape. */
  INVALID_NODE_TYPE = 'INVALID_NODE_TYPE',
  MISSING_START = 'MISSING_START',
  MISSING_END = 'MISSING_END',
  DANGLING_EDGE = 'DANGLING_EDGE',
  UNREACHABLE_NODE = 'UNREACHABLE_NODE',
  DEAD_END = 'DEAD_END',
  /** Reachable and has a way out, yet every way out loops without reaching an end. */
  NO_PATH_TO_END = 'NO_PATH_TO_END',
  DECISION_NEEDS_TWO_BRANCHES = 'DECISION_NEEDS_TWO_BRANCHES',
}

export interface FlowProblem {
  code: FlowProblemCode;
  message: string;
  nodeIds: string[];
  edgeIds: string[];
}

const problem = (code: FlowProblemCode, message: string, nodeIds: string[] = [], edgeIds: string[] = []) => ({
  code,
  message,
  nodeIds,
  edgeIds,
});

/**
 * Everything that keeps a flow from being walkable from a start to an end. Linear in
 * nodes + edges; problems come grouped by code (enum order), then in graph order.
 * Findings that would only repeat another one are left out: no UNREACHABLE_NODE without
 * a start, no NO_PATH_TO_END without an end or on a DEAD_END node.
 */
export function validateFlow(graph: FlowGraph): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const topology = topologyOf(graph);
  const { nodes, indexOf, starts, ends, isNote } = topology;

  for (const id of duplicates(graph.nodes.map((node) => node.id))) {
    problems.push(problem(FlowProblemCode.DUPLICATE_NODE_ID, `More than one node has the id "${id}".`, [id]));
  }
  for (const id of duplicates(graph.edges.map((edge) => edge.id))) {
    problems.push(problem(FlowProblemCode.DUPLICATE_EDGE_ID, `More than one edge has the id "${id}".`, [], [id]));
  }
  for (const node of nodes) {
    if (isNodeType(node.type)) continue;
    problems.push(
      problem(
        FlowProblemCode.INVALID_NODE_TYPE,
        `Node "${node.id}" has the type "${node.type}": use start, screen, action, decision, end, note or a lowercase slug of up to 40 characters.`,
        [node.id],
      ),
    );
  }
  if (starts.length === 0) problems.push(problem(FlowProblemCode.MISSING_START, 'The flow has no start node.'));
  if (ends.length === 0) problems.push(problem(FlowProblemCode.MISSING_END, 'The flow has no end node.'));

  for (const edge of graph.edges) {
    const missing = [edge.source, edge.target].filter((id) => !indexOf.has(id));
    if (missing.length === 0) continue;
    const present = [edge.source, edge.target].filter((id) => indexOf.has(id));
    const names = [...new Set(missing)].map((id) => `"${id}"`).join(' and ');
    problems.push(
      problem(
        FlowProblemCode.DANGLING_EDGE,
        `Edge "${edge.id}" points to ${names}, which ${missing.length === 1 ? 'is not a node' : 'are not nodes'}.`,
        [...new Set(present)],
        [edge.id],
      ),
    );
  }

  const fromStart = reachable(starts, topology.next);
  if (starts.length > 0) {
    nodes.forEach((node, i) => {
      if (fromStart[i] || isNote[i]) return;
      problems.push(
        problem(FlowProblemCode.UNREACHABLE_NODE, `Node "${node.id}" cannot be reached from any start.`, [node.id]),
      );
    });
  }

  const stuck = deadEnds(topology);
  for (const i of stuck) {
    const id = nodes[i]!.id;
    problems.push(problem(FlowProblemCode.DEAD_END, `Node "${id}" is not an end and has no way out.`, [id]));
  }

  if (ends.length > 0) {
    const toEnd = reachable(ends, topology.prev);
    const isDeadEnd = new Set(stuck);
    nodes.forEach((node, i) => {
      if (!fromStart[i] || toEnd[i] || isNote[i] || isDeadEnd.has(i)) return;
      problems.push(
        problem(
          FlowProblemCode.NO_PATH_TO_END,
          `No path leads from node "${node.id}" to an end: users who get there loop forever.`,
          [node.id],
        ),
      );
    });
  }

  nodes.forEach((node, i) => {
    const branches = topology.out[i]!;
    if (node.type !== 'decision' || branches.length >= 2) return;
    problems.push(
      problem(
        FlowProblemCode.DECISION_NEEDS_TWO_BRANCHES,
        `Decision "${node.id}" has ${branches.length} outgoing ${branches.length === 1 ? 'edge' : 'edges'}; a decision needs at least two.`,
        [node.id],
        branches.map((edge) => edge.id),
      ),
    );
  });

  return problems;
}

/** Each value that occurs more than once, in the order of its second occurrence. */
function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) reported.add(value);
    seen.add(value);
  }
  return [...reported];
}
