import {
  isKnownNodeType,
  type FlowGraph,
  type GraphNode,
  type KnownNodeType,
  type Point,
  type Size,
} from '../model.js';
import { layoutFlow, type EdgeRoute, type LayoutOptions } from '../layout.js';
import { charsPerLine, edgeCaption, TEXT, wrapLabel } from '../measure.js';
import { exportable } from './exportable.js';

const COLORS: Readonly<Record<KnownNodeType | 'custom', { fill: string; stroke: string }>> = {
  start: { fill: '#e3f6e8', stroke: '#2f9e55' },
  end: { fill: '#fde8e8', stroke: '#c0392b' },
  screen: { fill: '#ffffff', stroke: '#4a5568' },
  action: { fill: '#e8f0fe', stroke: '#3b6fd8' },
  decision: { fill: '#fff6db', stroke: '#c79a00' },
  note: { fill: '#fffbe6', stroke: '#b7a24a' },
  custom: { fill: '#f3eefc', stroke: '#7a5bc7' },
};

// XML 1.0 forbids these characters outright, even escaped; lone surrogates cannot be encoded.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content and attribute values; tabs and newlines as references so attributes keep them. */
export const xmlEscape = (text: string): string =>
  text
    .replace(NOT_XML_CHAR, '\ufffd')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');

const num = (value: number): string => String(Math.round(value * 10) / 10);

/**
 * A standalone SVG of the flow laid out with `layoutFlow`: one shape per node type,
 * routed edges with arrowheads and captions, no scripts, styles or fonts from elsewhere.
 */
export async function exportSvg(graph: FlowGraph, name: string, options: LayoutOptions = {}): Promise<string> {
  const { nodes, edges } = exportable(graph);
  const layout = await layoutFlow({ nodes, edges }, options);
  const { width, height } = layout;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="ufe-title" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title id="ufe-title">${xmlEscape(name)}</title>`,
    '<defs><marker id="ufe-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5568"/></marker></defs>',
    `<rect class="ufe-background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const types = new Map(nodes.map((node) => [node.id, node.type]));
  const diamond = (id: string): (Point & Size) | null =>
    types.get(id) === 'decision' ? { ...layout.positions.get(id)!, ...layout.sizes.get(id)! } : null;
  // Edges first, so nodes are drawn over their ends.
  for (const edge of edges) {
    const route = layout.routes.get(edge.id);
    if (!route || route.points.length < 2) continue;
    const points = [...route.points];
    // ELK ends edges on bounding boxes; a diamond's border lies inside its box.
    const from = diamond(edge.source);
    const to = diamond(edge.target);
    if (from) points[0] = clipToDiamond(points[0]!, points[1]!, from);
    if (to) points[points.length - 1] = clipToDiamond(points.at(-1)!, points.at(-2)!, to);
    out.push(edgeSvg(edge.id, edge.source, edge.target, { ...route, points }, edgeCaption(edge)));
  }
  for (const node of nodes) {
    out.push(nodeSvg(node, layout.positions.get(node.id)!, layout.sizes.get(node.id)!));
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function nodeSvg(node: GraphNode, at: Point, size: Size): string {
  const kind = isKnownNodeType(node.type) ? node.type : 'custom';
  const { fill, stroke } = COLORS[kind];
  const paint = `fill="${fill}" stroke="${stroke}" stroke-width="1.5"`;
  const lines = wrapLabel(node.label, charsPerLine(node.type, size.width));
  return [
    `<g class="ufe-node ufe-node-${kind}" data-id="${xmlEscape(node.id)}" data-type="${xmlEscape(node.type)}" transform="translate(${num(at.x)},${num(at.y)})">`,
    `<title>${xmlEscape(node.label)}</title>`,
    shape(kind, size, paint),
    text(lines, size.width / 2, size.height / 2, 'ufe-label'),
    '</g>',
  ].join('');
}

function shape(kind: KnownNodeType | 'custom', { width: w, height: h }: Size, paint: string): string {
  const rect = (radius: number, extra = '') =>
    `<rect x="0" y="0" width="${num(w)}" height="${num(h)}" rx="${num(radius)}" ${paint}${extra}/>`;
  switch (kind) {
    case 'start':
      return rect(h / 2);
    case 'end':
      // A double border, as end states are drawn in state charts.
      return `${rect(h / 2)}<rect x="4" y="4" width="${num(w - 8)}" height="${num(h - 8)}" rx="${num(h / 2 - 4)}" fill="none" stroke="${COLORS.end.stroke}" stroke-width="1"/>`;
    case 'screen':
      return rect(4);
    case 'action':
      return rect(14);
    case 'decision':
      return `<polygon points="${num(w / 2)},0 ${num(w)},${num(h / 2)} ${num(w / 2)},${num(h)} 0,${num(h / 2)}" ${paint}/>`;
    case 'note': {
      const fold = Math.min(14, w / 4, h / 4);
      return `<path d="M0,0 H${num(w - fold)} L${num(w)},${num(fold)} V${num(h)} H0 Z M${num(w - fold)},0 V${num(fold)} H${num(w)}" ${paint}/>`;
    }
    case 'custom':
      return rect(4, ' stroke-dasharray="6 3"');
  }
}

/** Lines centred on (cx, cy), one tspan each. */
function text(lines: readonly string[], cx: number, cy: number, className: string): string {
  const top = cy - ((lines.length - 1) * TEXT.lineHeight) / 2;
  const spans = lines
    .map((line, i) => `<tspan x="${num(cx)}" y="${num(top + i * TEXT.lineHeight)}">${xmlEscape(line)}</tspan>`)
    .join('');
  return `<text class="${className}" text-anchor="middle" dominant-baseline="central" fill="#1a202c">${spans}</text>`;
}

/**
 * Moves `end` (on the box of `box`) along the segment from `outside` until it meets the
 * diamond inscribed in the box: solves |x - cx|/(w/2) + |y - cy|/(h/2) = 1 per quadrant.
 */
export function clipToDiamond(end: Point, outside: Point, box: Point & Size): Point {
  const half = { x: box.width / 2, y: box.height / 2 };
  const center = { x: box.x + half.x, y: box.y + half.y };
  const d = { x: end.x - outside.x, y: end.y - outside.y };
  const length = Math.hypot(d.x, d.y);
  if (length === 0) return end;
  const dir = { x: d.x / length, y: d.y / length };
  const rel = { x: end.x - center.x, y: end.y - center.y };
  let best = Infinity;
  for (const sx of [1, -1]) {
    for (const sy of [1, -1]) {
      const slope = (sx * dir.x) / half.x + (sy * dir.y) / half.y;
      if (slope === 0) continue;
      const t = (1 - (sx * rel.x) / half.x - (sy * rel.y) / half.y) / slope;
      const x = rel.x + t * dir.x;
      const y = rel.y + t * dir.y;
      // Only a solution in the quadrant its signs assume is on the diamond (within rounding).
      if (t >= 0 && t < best && sx * x >= -1e-9 && sy * y >= -1e-9) best = t;
    }
  }
  return Number.isFinite(best) ? { x: end.x + best * dir.x, y: end.y + best * dir.y } : end;
}

function edgeSvg(id: string, source: string, target: string, route: EdgeRoute, caption: string[]): string {
  const [first, ...rest] = route.points;
  const d = first ? `M${num(first.x)},${num(first.y)}${rest.map((p) => ` L${num(p.x)},${num(p.y)}`).join('')}` : '';
  const parts = [
    `<g class="ufe-edge" data-id="${xmlEscape(id)}" data-source="${xmlEscape(source)}" data-target="${xmlEscape(target)}">`,
    `<path d="${d}" fill="none" stroke="#4a5568" stroke-width="1.5" marker-end="url(#ufe-arrow)"/>`,
  ];
  if (route.caption && caption.length > 0) {
    const { x, y, width, height } = route.caption;
    parts.push(
      `<rect class="ufe-edge-label-box" x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
      text(caption, x + width / 2, y + height / 2, 'ufe-edge-label'),
    );
  }
  parts.push('</g>');
  return parts.join('');
}
