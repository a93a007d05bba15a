/**
 * The flows domain's one model: a flow's graph (`FlowGraph`, what every graph function
 * takes), the records the live document and the store keep of it, and one set of limits.
 * No mongoose, no GraphQL, so it stays pure and testable in isolation.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface GraphNode {
  id: string;
  /** One of {@link NODE_TYPES}, or a custom type (see {@link isNodeType}). */
  type: string;
  label: string;
  /** Top-left corner, in the same units as {@link Size}. */
  position: Point;
  /** The node's box; null or absent means "measure it from type and label". */
  size?: Size | null;
  /** Free-form JSON, at most {@link FLOW_LIMITS.dataBytes} bytes once serialized. */
  data?: unknown;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label?: string | null;
  /** A guard in the product's words ("cart is empty"); shown, never evaluated. */
  condition?: string | null;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const NODE_TYPES = ['start', 'screen', 'action', 'decision', 'end', 'note'] as const;
export type KnownNodeType = (typeof NODE_TYPES)[number];

const KNOWN = new Set<string>(NODE_TYPES);
/** Custom types are short slugs, so they can serve as CSS classes and DOT/Mermaid tokens. */
const CUSTOM_TYPE = /^[a-z][a-z0-9_-]{0,39}$/;

export const isKnownNodeType = (type: string): type is KnownNodeType => KNOWN.has(type);

/** A known type, or a custom one: `[a-z][a-z0-9_-]*`, at most 40 characters. */
export const isNodeType = (type: string): boolean => KNOWN.has(type) || CUSTOM_TYPE.test(type);

/** Sizes a node gets when it has none and its label fits; see `measure.ts`. */
export const DEFAULT_SIZES: Readonly<Record<KnownNodeType, Size>> = {
  start: { width: 120, height: 44 },
  end: { width: 120, height: 44 },
  screen: { width: 160, height: 64 },
  action: { width: 150, height: 52 },
  decision: { width: 140, height: 90 },
  note: { width: 160, height: 64 },
};

export const CUSTOM_TYPE_SIZE: Readonly<Size> = { width: 160, height: 64 };

export const defaultSize = (type: string): Size => ({
  ...(isKnownNodeType(type) ? DEFAULT_SIZES[type] : CUSTOM_TYPE_SIZE),
});

/** What a flow may hold, and what one call may send: the same bounds for ops, the live document and imports. */
export const FLOW_LIMITS = {
  opsPerCall: 500,
  nodes: 2_000,
  edges: 5_000,
  labelLength: 500,
  conditionLength: 500,
  idLength: 128,
  typeLength: 40,
  dataBytes: 16_384,
  maxDimension: 100_000,
  /** An imported file. */
  inputBytes: 2 * 1024 * 1024,
} as const;

/**
 * A node as the live document, the update log and listings keep it: the position flat
 * and `data` as JSON text, so the write path never parses what it only passes on.
 * `toGraphNode` gives the `GraphNode` everything else works on.
 */
export interface NodeRecord {
  id: string;
  type: string;
  label: string;
  x: number;
  y: number;
  /** The node's box; null or absent means the default of its type. */
  size?: Size | null;
  data: string | null;
}

export interface EdgeRecord {
  id: string;
  source: string;
  target: string;
  label: string | null;
  /** A guard in the product's words ("cart is empty"); shown, never evaluated. */
  condition?: string | null;
}

/** A flow's content as records. */
export interface FlowRecords {
  nodes: NodeRecord[];
  edges: EdgeRecord[];
}

/** A flow's content at one version, as the live document holds it. */
export interface FlowContent {
  version: number;
  nodes: readonly NodeRecord[];
  edges: readonly EdgeRecord[];
}

export const toGraphNode = (node: NodeRecord): GraphNode => ({
  id: node.id,
  type: node.type,
  label: node.label,
  position: { x: node.x, y: node.y },
  size: node.size ?? null,
  data: node.data === null ? null : (JSON.parse(node.data) as unknown),
});

export const toGraphEdge = (edge: EdgeRecord): GraphEdge => ({
  id: edge.id,
  source: edge.source,
  target: edge.target,
  label: edge.label,
  condition: edge.condition ?? null,
});

/** A flow's content as the graph functions take it. */
export const toGraph = (content: Pick<FlowContent, 'nodes' | 'edges'>): FlowGraph => ({
  nodes: content.nodes.map(toGraphNode),
  edges: content.edges.map(toGraphEdge),
});
