import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

/**
 * Token counts in `cl100k_base`, the encoding of OpenAI's `text-embedding-3-small`, so
 * that a chunk's count is what the embedding model sees. The ranks ship with the package:
 * nothing is downloaded.
 */

let encoder: Tiktoken | undefined;
// Building the encoder parses ~100k ranks (most of a second): once, and only when first used.
const getEncoder = (): Tiktoken => (encoder ??= new Tiktoken(cl100kBase));

/**
 * The encoder's own pre-split. BPE never merges across two of these pieces, so a text's
 * count is the sum of its pieces' counts, and a piece's count can be remembered.
 */
const PIECE = new RegExp(cl100kBase.pat_str, 'gu');

/**
 * BPE is quadratic in a piece's length, and a run of letters with no space is one piece:
 * longer pieces are counted in slices of this many UTF-16 units. Runs this long are rare
 * (a table's rule line of dashes is the common one, and fits), and the count of a longer
 * run stays within a token or so of the exact one.
 */
const LONG_PIECE = 128;

// Prose repeats the same few thousand pieces; the bound keeps a long-lived process from hoarding them.
const MEMO_LIMIT = 100_000;
const memo = new Map<string, number>();

function pieceTokens(piece: string): number {
  let count = memo.get(piece);
  if (count === undefined) {
    // No special tokens: `<|endoftext|>` in a document is text like any other.
    count = getEncoder().encode(piece, [], []).length;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(piece, count);
  }
  return count;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Calls `visit` with each piece's range and count, long pieces in slices that never split a surrogate pair. */
function eachPiece(text: string, visit: (start: number, end: number, tokens: number) => void): void {
  for (const match of text.matchAll(PIECE)) {
    const end = match.index + match[0].length;
    let start = match.index;
    while (end - start > LONG_PIECE) {
      let cut = start + LONG_PIECE;
      if (isLowSurrogate(text.charCodeAt(cut))) cut -= 1;
      visit(start, cut, pieceTokens(text.slice(start, cut)));
      start = cut;
    }
    visit(start, end, pieceTokens(text.slice(start, end)));
  }
}

/** How many `cl100k_base` tokens the text is. */
export function countTokens(text: string): number {
  let total = 0;
  eachPiece(text, (_start, _end, tokens) => {
    total += tokens;
  });
  return total;
}

/** A run of the text that is tokenized on its own; `start`/`end` are UTF-16 offsets, end exclusive. */
export interface TokenPiece {
  start: number;
  end: number;
  tokens: number;
}

/**
 * The text cut where the tokenizer cuts it, each piece with its count (they add up to
 * {@link countTokens}): the places a text can be split without changing how it tokenizes.
 */
export function tokenPieces(text: string): TokenPiece[] {
  const pieces: TokenPiece[] = [];
  eachPiece(text, (start, end, tokens) => pieces.push({ start, end, tokens }));
  return pieces;
}
