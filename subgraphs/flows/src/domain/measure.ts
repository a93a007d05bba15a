import { defaultSize, type GraphNode, type Size } from './model.js';

/**
 * Text metrics without a font engine: an average glyph width for a 12px sans-serif face.
 * Good enough to size boxes for layout and SVG; a renderer with real fonts can re-measure.
 */
export const TEXT = { charWidth: 7, lineHeight: 16, paddingX: 12, paddingY: 10, maxWidth: 280 } as const;

/** Splits on newlines, then wraps words to `maxChars` characters, breaking words that are longer. */
export function wrapLabel(label: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const paragraph of label.split(/\r\n|\r|\n/)) {
    let line: string[] = [];
    for (const word of paragraph.split(' ')) {
      let chars = Array.from(word);
      while (chars.length > maxChars) {
        if (line.length > 0) lines.push(line.join(''));
        lines.push(chars.slice(0, maxChars).join(''));
        chars = chars.slice(maxChars);
        line = [];
      }
      const candidate = line.length === 0 ? chars : [...line, ' ', ...chars];
      if (candidate.length > maxChars) {
        lines.push(line.join(''));
        line = chars;
      } else {
        line = candidate;
      }
    }
    lines.push(line.join(''));
  }
  return lines;
}

const hasSize = (size: GraphNode['size']): size is Size =>
  size != null && size.width > 0 && size.height > 0 && Number.isFinite(size.width) && Number.isFinite(size.height);

/** The text box inside a node: a diamond only has room for text in its middle. */
const textShare = (type: string): number => (type === 'decision' ? 0.6 : 1);

/** Characters per line for a node of this type and width. */
export const charsPerLine = (type: string, width: number): number =>
  Math.max(4, Math.floor((width * textShare(type) - 2 * TEXT.paddingX) / TEXT.charWidth));

/** The node's own size, else its type's default grown to fit the wrapped label. */
export function measureNode(node: Pick<GraphNode, 'type' | 'label' | 'size'>): Size {
  if (hasSize(node.size)) return { width: node.size.width, height: node.size.height };
  const base = defaultSize(node.type);
  const share = textShare(node.type);
  const maxChars = charsPerLine(node.type, TEXT.maxWidth / share);
  const lines = wrapLabel(node.label, maxChars);
  const longest = Math.max(...lines.map((line) => Array.from(line).length));
  const textWidth = longest * TEXT.charWidth + 2 * TEXT.paddingX;
  const textHeight = lines.length * TEXT.lineHeight + 2 * TEXT.paddingY;
  return {
    width: Math.ceil(Math.max(base.width, Math.min(TEXT.maxWidth / share, textWidth / share))),
    height: Math.ceil(Math.max(base.height, textHeight / share)),
  };
}

/** An edge's caption: its label, then its condition in brackets, each wrapped. */
export function edgeCaption(edge: { label?: string | null; condition?: string | null }): string[] {
  const maxChars = Math.floor(TEXT.maxWidth / 2 / TEXT.charWidth);
  const label = edge.label ? wrapLabel(edge.label, maxChars) : [];
  const condition = edge.condition ? wrapLabel(`[${edge.condition}]`, maxChars) : [];
  return [...label, ...condition];
}

export function measureCaption(lines: readonly string[]): Size {
  const longest = Math.max(0, ...lines.map((line) => Array.from(line).length));
  return { width: longest * TEXT.charWidth + 8, height: lines.length * TEXT.lineHeight + 4 };
}
