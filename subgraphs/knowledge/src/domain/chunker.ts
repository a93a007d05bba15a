import { countTokens, tokenPieces } from './tokens.js';

/**
 * Cuts a document's text into the chunks that are embedded and searched. Structure first:
 * a chunk never spans two sections (a heading starts one), whole blocks (paragraphs, list
 * items, fenced code, tables) are packed up to the token budget, and only a block larger
 * than the budget is cut, at sentences, then at words, then between tokens.
 */

/** A run of the text: `text.slice(start, end) === text` (UTF-16 offsets, end exclusive). */
export interface Chunk {
  /** Position among the document's chunks, from 0. */
  index: number;
  text: string;
  /** The headings the chunk sits under, outermost first: `['Title', 'Sub']` under `# Title` and `## Sub`. */
  headingPath: string[];
  start: number;
  end: number;
  /** Its count in `cl100k_base`; never more than `maxTokens`. */
  tokens: number;
}

export interface ChunkOptions {
  /** The most tokens in one chunk (default 256). */
  maxTokens?: number;
  /** About how many tokens a chunk repeats from the end of the one before it in its section (default 32). */
  overlapTokens?: number;
}

export const CHUNK_DEFAULTS = { maxTokens: 256, overlapTokens: 32 } as const;

/** One code point is at most four UTF-8 bytes, so at most four tokens: any budget this large can always be met. */
const MIN_MAX_TOKENS = 4;

interface Span {
  start: number;
  end: number;
}

interface Measured extends Span {
  tokens: number;
}

/** What a chunk is packed from: a whole block, or a piece of one too large for a chunk. */
interface Segment extends Measured {
  /** Its count with the whitespace before it, which is what it adds to a chunk it does not start. */
  joined: number;
}

/** `lines` blocks (fenced code, tables) are cut at line ends before sentences. */
type BlockKind = 'prose' | 'lines';

interface Block extends Span {
  kind: BlockKind;
  heading?: boolean;
  /** A heading and the block after it travel together; when they must be cut, the heading is cut off first. */
  parts?: Block[];
}

interface Section {
  headingPath: string[];
  /** The heading's level, 0 for the text before the first heading. */
  level: number;
  blocks: Block[];
}

// Only ever matched against one line, at its start: no pattern here can backtrack over a long run.
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const TABLE_ROW = /^[ \t]*\|/;
const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;

/** Where a sentence ends: its punctuation and closing quotes or brackets, then the space after them. */
const SENTENCE_END = /[.!?…]["'”’»)\]]*\s+|[。！？]["'”’」』)\]]*\s*/g;
/** Sentence ends and line ends: where an overlap may start. */
const SENTENCE_OR_LINE_END = /[.!?…]["'”’»)\]]*\s+|[。！？]["'”’」』)\]]*\s*|\n\s*/g;
const LINE_END = /\n/g;
const SPACE = /\s+/g;

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);

/** `# Title ##` → `Title`; null when the line is no ATX heading. Closing hashes stripped by hand, not by a backtracking pattern. */
function headingOf(line: string): { level: number; title: string } | null {
  const match = ATX.exec(line);
  if (!match?.[1]) return null;
  let title = line.slice(match[0].length).trim();
  let end = title.length;
  while (end > 0 && title[end - 1] === '#') end -= 1;
  if (end === 0 || isSpace(title[end - 1])) title = title.slice(0, end).trim();
  return { level: match[1].length, title };
}

/**
 * The text as sections of blocks. Blocks are separated by blank lines; a list item, a
 * fence or the start or end of a table also starts a new one. Inside a fence nothing is
 * a heading and blank lines do not end the block; an unclosed fence runs to the end.
 */
function readSections(text: string): Section[] {
  const sections: Section[] = [{ headingPath: [], level: 0, blocks: [] }];
  const path: { level: number; title: string }[] = [];
  // Declared wide: `finish` changes it behind the narrowing's back.
  let block = null as Block | null;
  let fence = null as { char: string; length: number } | null;
  const finish = () => {
    if (block) sections[sections.length - 1]?.blocks.push(block);
    block = null;
  };

  for (let lineStart = 0; lineStart <= text.length;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const trimmed = line.trim();
    const contentStart = lineStart + line.length - line.trimStart().length;
    const contentEnd = lineStart + line.trimEnd().length;
    lineStart = lineEnd + 1;

    if (fence && block) {
      if (trimmed === '') continue;
      block.end = contentEnd;
      const closing = FENCE.exec(line);
      const run = closing?.[1] ?? '';
      if (run[0] === fence.char && run.length >= fence.length && line.slice(closing?.[0].length).trim() === '') {
        fence = null;
        finish();
      }
      continue;
    }
    if (trimmed === '') {
      finish();
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      finish();
      while (path.length > 0 && (path[path.length - 1]?.level ?? 0) >= heading.level) path.pop();
      path.push(heading);
      const headingBlock: Block = { start: contentStart, end: contentEnd, kind: 'prose', heading: true };
      sections.push({ headingPath: path.map((entry) => entry.title), level: heading.level, blocks: [headingBlock] });
      continue;
    }
    const opening = FENCE.exec(line)?.[1];
    if (opening) {
      finish();
      fence = { char: opening[0] ?? '`', length: opening.length };
      block = { start: contentStart, end: contentEnd, kind: 'lines' };
      continue;
    }
    const item = LIST_ITEM.test(line);
    const row = TABLE_ROW.test(line);
    if (block && !item && row === (block.kind === 'lines')) {
      block.end = contentEnd;
      continue;
    }
    finish();
    block = { start: contentStart, end: contentEnd, kind: row ? 'lines' : 'prose' };
  }
  finish();

  return sections
    .filter((section, index) => {
      if (section.blocks.length === 0) return false;
      // A bare heading whose subsections follow lives on in their heading paths.
      const next = sections[index + 1];
      return !(section.blocks.length === 1 && section.level > 0 && next && next.level > section.level);
    })
    .map((section) => {
      const [heading, first, ...rest] = section.blocks;
      if (!heading?.heading || !first) return section;
      const glued: Block = { start: heading.start, end: first.end, kind: first.kind, parts: [heading, first] };
      return { ...section, blocks: [glued, ...rest] };
    });
}

/** The parts of `span` between the matches of `separator` (a match stays with the part before it), trimmed, empty ones left out. */
function cut(text: string, span: Span, separator: RegExp): Span[] {
  const slice = text.slice(span.start, span.end);
  const parts: Span[] = [];
  let from = 0;
  const add = (end: number) => {
    let start = from;
    let stop = end;
    while (start < stop && isSpace(slice[start])) start += 1;
    while (stop > start && isSpace(slice[stop - 1])) stop -= 1;
    if (stop > start) parts.push({ start: span.start + start, end: span.start + stop });
  };
  for (const match of slice.matchAll(separator)) {
    const end = match.index + match[0].length;
    add(end);
    from = end;
  }
  add(slice.length);
  return parts;
}

type Splitter = (text: string, span: Span) => Span[];
const byLines: Splitter = (text, span) => cut(text, span, LINE_END);
const bySentences: Splitter = (text, span) => cut(text, span, SENTENCE_END);
const byWords: Splitter = (text, span) => cut(text, span, SPACE);

/** Starts of the runs after each match of `separator` inside `span`, in order. */
function startsAfter(text: string, span: Span, separator: RegExp): number[] {
  return cut(text, span, separator)
    .map((part) => part.start)
    .filter((start) => start > span.start);
}

class Chunker {
  constructor(
    private readonly text: string,
    private readonly maxTokens: number,
    private readonly overlapTokens: number,
  ) {}

  private count(start: number, end: number): number {
    return countTokens(this.text.slice(start, end));
  }

  chunk(): Chunk[] {
    const chunks: Chunk[] = [];
    for (const section of readSections(this.text)) {
      const measured = section.blocks.flatMap((block) => this.segmentsOf(block));
      const segments = measured.map((segment, index): Segment => {
        const before = measured[index - 1];
        return { ...segment, joined: before ? this.count(before.end, segment.end) : segment.tokens };
      });
      for (const { start, end, tokens } of this.pack(segments)) {
        const text = this.text.slice(start, end);
        chunks.push({ index: chunks.length, text, headingPath: [...section.headingPath], start, end, tokens });
      }
    }
    return chunks;
  }

  /** The block whole when it fits, else its pieces, each of which fits. */
  private segmentsOf(block: Block): Measured[] {
    const tokens = this.count(block.start, block.end);
    if (tokens <= this.maxTokens) return [{ start: block.start, end: block.end, tokens }];
    if (block.parts) return block.parts.flatMap((part) => this.segmentsOf(part));
    return this.split(block, block.kind === 'lines' ? [byLines, bySentences, byWords] : [bySentences, byWords]);
  }

  private split(span: Span, splitters: Splitter[]): Measured[] {
    const tokens = this.count(span.start, span.end);
    if (tokens <= this.maxTokens) return [{ ...span, tokens }];
    const [splitter, ...rest] = splitters;
    if (!splitter) return this.splitBetweenTokens(span);
    return splitter(this.text, span).flatMap((part) => this.split(part, rest));
  }

  /** A word longer than a chunk: cut where the tokenizer cuts it, or between code points if even that is too coarse. */
  private splitBetweenTokens(span: Span): Measured[] {
    const cuts: number[] = [];
    let tokens = 0;
    for (const piece of tokenPieces(this.text.slice(span.start, span.end))) {
      if (tokens > 0 && tokens + piece.tokens > this.maxTokens) {
        cuts.push(span.start + piece.start);
        tokens = 0;
      }
      tokens += piece.tokens;
    }
    const bounds = [span.start, ...cuts, span.end];
    return bounds.slice(1).flatMap((end, index) => {
      const start = bounds[index] ?? span.start;
      const count = this.count(start, end);
      return count <= this.maxTokens ? [{ start, end, tokens: count }] : this.splitBetweenCodePoints({ start, end });
    });
  }

  private splitBetweenCodePoints(span: Span): Measured[] {
    // Code point boundaries: a cut never falls between the halves of a surrogate pair.
    const bounds: number[] = [];
    for (let at = span.start; at < span.end; at += (this.text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1) bounds.push(at);
    bounds.push(span.end);
    const parts: Measured[] = [];
    for (let from = 0; from < bounds.length - 1;) {
      const start = bounds[from] ?? span.start;
      // The longest prefix that fits, by bisection; at least one code point.
      let low = from + 1;
      let high = bounds.length - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (this.count(start, bounds[middle] ?? span.end) <= this.maxTokens) low = middle;
        else high = middle - 1;
      }
      const end = bounds[low] ?? span.end;
      parts.push({ start, end, tokens: this.count(start, end) });
      from = low;
    }
    return parts;
  }

  /**
   * Greedy: segments go into the chunk while the estimate fits, then the chunk's exact count
   * is checked and the chunk shortened if need be. Each chunk after the first starts with
   * an overlap taken from the end of the one before.
   */
  private pack(segments: Segment[]): Measured[] {
    const chunks: Measured[] = [];
    let previous: Span | null = null;
    for (let index = 0; index < segments.length;) {
      const first = segments[index];
      if (!first) break;
      let start: number = previous ? this.overlapStart(previous, first) : first.start;
      let estimate = start === first.start ? first.tokens : this.count(start, first.end);
      let last = index;
      for (let next = segments[last + 1]; next && estimate + next.joined <= this.maxTokens; next = segments[last + 1]) {
        estimate += next.joined;
        last += 1;
      }
      let end = segments[last]?.end ?? first.end;
      let tokens = this.count(start, end);
      while (tokens > this.maxTokens) {
        if (last > index) last -= 1;
        else start = first.start;
        end = segments[last]?.end ?? first.end;
        tokens = this.count(start, end);
      }
      chunks.push({ start, end, tokens });
      previous = { start, end };
      index = last + 1;
    }
    return chunks;
  }

  /**
   * Where the chunk that goes on with `next` starts: as many whole sentences (or lines) from
   * the end of `previous` as fit in the overlap; whole words instead when sentences give less
   * than half of it. Shortened until the overlap and `next` fit together; `next.start` for none.
   */
  private overlapStart(previous: Span, next: Segment): number {
    if (this.overlapTokens === 0) return next.start;
    const within = (starts: number[]): number | null => {
      let best: number | null = null;
      for (let index = starts.length - 1; index >= 0; index -= 1) {
        const start = starts[index] ?? previous.end;
        if (this.count(start, previous.end) > this.overlapTokens) break;
        best = start;
      }
      return best;
    };
    const words = startsAfter(this.text, previous, SPACE);
    let best = within(startsAfter(this.text, previous, SENTENCE_OR_LINE_END));
    if (best === null || this.count(best, previous.end) * 2 < this.overlapTokens) best = within(words) ?? best;
    if (best === null) return next.start;
    const from = best;
    for (const start of [from, ...words.filter((word) => word > from)]) {
      if (this.count(start, next.end) <= this.maxTokens) return start;
    }
    return next.start;
  }
}

/**
 * The chunks of `text`, in order; none for text that is empty or only whitespace. The same
 * text and options always give the same chunks. Every chunk has at most `maxTokens` tokens:
 * a word longer than that is cut between its tokens.
 */
export function chunkText(text: string, options: ChunkOptions = {}): Chunk[] {
  const maxTokens = options.maxTokens ?? CHUNK_DEFAULTS.maxTokens;
  const overlapTokens = options.overlapTokens ?? CHUNK_DEFAULTS.overlapTokens;
  if (!Number.isInteger(maxTokens) || maxTokens < MIN_MAX_TOKENS) {
    throw new RangeError(`maxTokens must be an integer of at least ${MIN_MAX_TOKENS}, not ${maxTokens}.`);
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens * 2 > maxTokens) {
    throw new RangeError(`overlapTokens must be an integer from 0 to half of maxTokens, not ${overlapTokens}.`);
  }
  return new Chunker(text, maxTokens, overlapTokens).chunk();
}
