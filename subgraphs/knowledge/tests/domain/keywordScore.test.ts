import { describe, expect, it } from 'vitest';
import {
  bm25,
  BM25,
  collectionStats,
  idf,
  type KeywordDocument,
  termFrequencies,
} from '../../src/domain/keywordScore.js';
import { terms } from '../../src/domain/terms.js';

const doc = (id: string, text: string): KeywordDocument => ({ id, ...termFrequencies(text) });

describe('termFrequencies', () => {
  it('counts analysed terms and the length in terms', () => {
    const { termFreqs, length } = termFrequencies('Payments fail; the payment is retried. ERR-PAY-402');
    expect(length).toBe(8);
    expect(termFreqs.get('payment')).toBe(2);
    expect(termFreqs.get('err-pay-402')).toBe(1);
    expect(termFreqs.has('the')).toBe(false);
  });
});

describe('idf', () => {
  it('is ln(1 + (N − df + 0.5)/(df + 0.5)) and never negative', () => {
    expect(idf(10, 1)).toBeCloseTo(Math.log(1 + 9.5 / 1.5), 15);
    expect(idf(10, 10)).toBeGreaterThan(0);
    expect(idf(10, 1)).toBeGreaterThan(idf(10, 5));
  });
});

describe('bm25', () => {
  // Three documents of two, four and two terms; average length 8/3.
  const docs = [doc('a', 'apple banana'), doc('b', 'apple apple cherry date'), doc('c', 'cherry elder')];
  const stats = collectionStats(docs);

  it('keeps the statistics a store would keep', () => {
    expect(stats.documentCount).toBe(3);
    expect(stats.averageLength).toBeCloseTo(8 / 3, 15);
    expect(stats.documentFrequency('appl')).toBe(2);
    expect(stats.documentFrequency('kiwi')).toBe(0);
  });

  it('scores a hand-made example to the known answer', () => {
    const { k1, b } = BM25;
    expect([k1, b]).toEqual([1.2, 0.75]);
    const query = terms('apple cherry');
    const idfApple = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    const idfCherry = idfApple; // both in two documents
    const part = (tf: number, length: number, weight: number): number =>
      (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / (8 / 3)));
    const expected = {
      a: part(1, 2, idfApple),
      b: part(2, 4, idfApple) + part(1, 4, idfCherry),
      c: part(1, 2, idfCherry),
    };
    const ranked = bm25(query, docs, stats);
    expect(ranked.map((hit) => hit.id)).toEqual(['b', 'a', 'c']);
    for (const hit of ranked) expect(hit.score).toBeCloseTo(expected[hit.id as keyof typeof expected], 12);
  });

  it('prefers the rarer term and the shorter document', () => {
    const ranked = bm25(terms('banana date'), docs, stats);
    // banana and date each occur once; a is shorter than b.
    expect(ranked.map((hit) => hit.id)).toEqual(['a', 'b']);
    const rare = bm25(terms('elder apple'), docs, stats);
    expect(rare[0]!.id).toBe('c');
  });

  it('leaves out documents with no query term, and counts a repeated query term once', () => {
    expect(bm25(terms('kiwi'), docs, stats)).toEqual([]);
    expect(bm25(terms('apple apple'), docs, stats)).toEqual(bm25(terms('apple'), docs, stats));
  });

  it('breaks ties by id', () => {
    const twins = [doc('y', 'identical words'), doc('x', 'identical words')];
    expect(bm25(terms('identical'), twins, collectionStats(twins)).map((hit) => hit.id)).toEqual(['x', 'y']);
  });

  it('runs over statistics kept elsewhere, as postings from a store would come', () => {
    const postings: KeywordDocument[] = [{ id: 'p', termFreqs: new Map([['appl', 3]]), length: 10 }];
    const ranked = bm25(['appl'], postings, { documentCount: 1000, averageLength: 10, documentFrequency: () => 10 });
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.score).toBeCloseTo((idf(1000, 10) * 3 * 2.2) / (3 + 1.2), 12);
  });
});
