/**
 * The plain data every graph function works on: no mongoose, no GraphQL, so validation,
 * analytics, layout, export and import stay pure and testable in isolation.
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
  /** Free-form JSON, at most {@link GRAPH_LIMITS.dataBytes} bytes once serialized. */
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

/** What an imported flow may hold; the same bounds the ops API enforces, plus input size. */
export const GRAPH_LIMITS = {
  nodes: 2_000,
  edges: 5_000,
  labelLength: 500,
  idLength: 128,
  typeLength: 40,
  dataBytes: 16_384,
  inputBytes: 2 * 1024 * 1024,
} as const;
