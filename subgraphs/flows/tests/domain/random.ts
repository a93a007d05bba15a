import { NODE_TYPES, type FlowGraph, type GraphEdge, type GraphNode } from '../../src/domain/model.js';

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Pieces that stress each format's escaping, mixed with plain text. */
const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  ' ',
  'word',
  '"',
  "'",
  '#',
  '#quot;',
  '#35;',
  '&',
  '&amp;',
  '<',
  '>',
  '<br>',
  '<br/>',
  '|',
  ';',
  ':',
  ':::',
  '%%',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  '((',
  '))',
  '-->',
  '---',
  '-.->',
  '==>',
  '~~~',
  '\\',
  '/',
  '`',
  '\n',
  '\r\n',
  '\t',
  'é',
  '漢字',
  '😀',
  '\u2028',
  'end',
  'subgraph',
  'n0',
  'ufe:node',
] as const;

const CUSTOM_TYPES = ['payment', 'sso-step', 'a_b', 'x'] as const;

export function randomGraph(random: () => number): FlowGraph {
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const text = (maxPieces: number) => {
    const value = Array.from({ length: 1 + int(maxPieces) }, () => pick(PIECES))
      .join('')
      .trim();
    return value.length > 0 ? value : 'x';
  };
  const unique = (taken: Set<string>, make: () => string) => {
    let id = make();
    while (taken.has(id)) id = `${id}${int(10)}`;
    taken.add(id);
    return id;
  };

  const nodeIds = new Set<string>();
  const nodes = Array.from({ length: int(25) }, (): GraphNode => {
    const size = random() < 0.2 ? { size: { width: 1 + int(400), height: 1 + int(200) + 0.5 } } : {};
    const data =
      random() < 0.2 ? { data: pick([{ k: text(3), n: [1, null, true] }, 'text', 42, false, [text(2)]]) } : {};
    return {
      id: unique(nodeIds, () => text(4)),
      type: random() < 0.85 ? pick(NODE_TYPES) : pick(CUSTOM_TYPES),
      label: text(8),
      position: { x: int(2000) - 1000 + pick([0, 0.25, 0.5]), y: int(2000) - 1000 },
      ...size,
      ...data,
    };
  });
  const edgeIds = new Set<string>();
  const ids = [...nodeIds];
  const edges = Array.from({ length: ids.length === 0 ? 0 : int(40) }, (): GraphEdge => {
    const label = random() < 0.5 ? { label: text(5) } : {};
    const condition = random() < 0.3 ? { condition: text(5) } : {};
    return { id: unique(edgeIds, () => text(3)), source: pick(ids), target: pick(ids), ...label, ...condition };
  });
  return { nodes, edges };
}
