import { analyse } from './terms.js';

/** A range of characters in a text: UTF-16 offsets, end exclusive, as `String.slice` takes them. */
export interface TextRange {
  start: number;
  end: number;
}

export const DEFAULT_HIGHLIGHTS = 10;

// Matches a few words apart stay apart; only what reads as one phrase or identifier joins.
const JOINABLE_GAP = /^(?:\s*|[-_.])$/u;

/**
 * Where the query's terms occur in `text`, in order: the words whose analysed terms match one
 * of `queryTerms` (analysed by `terms()` too). A compound matched by its whole is marked whole;
 * otherwise only its matching parts are (`PAY` in `ERR-PAY-401` for the query `pay`). Ranges
 * separated only by white space or one joiner (or nothing, in camelCase) merge into one, and at most `max` come back
 * (the first ones).
 */
export function highlights(
  text: string,
  queryTerms: Iterable<string>,
  { max = DEFAULT_HIGHLIGHTS }: { max?: number } = {},
): TextRange[] {
  const wanted = new Set(queryTerms);
  const ranges: TextRange[] = [];
  if (wanted.size === 0 || max <= 0) return ranges;
  const mark = (start: number, end: number): void => {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && JOINABLE_GAP.test(text.slice(last.end, start))) last.end = end;
    else ranges.push({ start, end });
  };
  for (const word of analyse(text)) {
    if (word.whole !== undefined && wanted.has(word.whole)) mark(word.start, word.end);
    else {
      for (const part of word.parts) {
        if (wanted.has(part.term)) mark(word.start + part.offset, word.start + part.offset + part.length);
      }
    }
    // One more range may still merge into the last, so stop only once past the limit.
    if (ranges.length > max) break;
  }
  return ranges.slice(0, max);
}
