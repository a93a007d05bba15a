import { byScoreThenId, type Scored } from './fusion.js';
import { terms } from './terms.js';

/**
 * Okapi BM25 over statistics a store can keep: per document its term frequencies and length
 * (in terms), per collection the document count, the average length and each term's document
 * frequency. The same function ranks an in-memory list or postings read back from a database.
 */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

/** One document as BM25 sees it. */
export interface KeywordDocument {
  id: string;
  termFreqs: ReadonlyMap<string, number>;
  length: number;
}

/** What BM25 needs to know about the whole collection, not just the documents it scores. */
export interface CollectionStats {
  documentCount: number;
  averageLength: number;
  documentFrequency: (term: string) => number;
}

/** A text's term frequencies and length, as the analyser counts them. */
export function termFrequencies(text: string): { termFreqs: Map<string, number>; length: number } {
  const termFreqs = new Map<string, number>();
  const all = terms(text);
  for (const term of all) termFreqs.set(term, (termFreqs.get(term) ?? 0) + 1);
  return { termFreqs, length: all.length };
}

/** Collection statistics computed from the documents themselves, for an in-memory index. */
export function collectionStats(docs: readonly KeywordDocument[]): CollectionStats {
  const frequency = new Map<string, number>();
  let totalLength = 0;
  for (const doc of docs) {
    totalLength += doc.length;
    for (const term of doc.termFreqs.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  }
  return {
    documentCount: docs.length,
    averageLength: docs.length === 0 ? 0 : totalLength / docs.length,
    documentFrequency: (term) => frequency.get(term) ?? 0,
  };
}

/**
 * The inverse document frequency, in the form that never goes negative: a term in more than
 * half the documents still counts a little instead of pushing a matching document down.
 */
export function idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * The documents that contain at least one query term, best first (ties by id). A query term
 * counts once however often the query repeats it.
 */
export function bm25(
  queryTerms: readonly string[],
  docs: readonly KeywordDocument[],
  stats: CollectionStats,
  params: { k1: number; b: number } = BM25,
): Scored[] {
  const { k1, b } = params;
  const weighted = [...new Set(queryTerms)].map((term) => ({
    term,
    idf: idf(stats.documentCount, stats.documentFrequency(term)),
  }));
  const scored: Scored[] = [];
  for (const doc of docs) {
    // Without an average length (nothing indexed yet) every document counts as average.
    const norm = stats.averageLength > 0 ? 1 - b + (b * doc.length) / stats.averageLength : 1;
    let score = 0;
    for (const { term, idf: weight } of weighted) {
      const tf = doc.termFreqs.get(term) ?? 0;
      if (tf > 0) score += (weight * tf * (k1 + 1)) / (tf + k1 * norm);
    }
    if (score > 0) scored.push({ id: doc.id, score });
  }
  return scored.sort(byScoreThenId);
}
