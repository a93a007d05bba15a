import { describe, expect, it } from 'vitest';
import { embedOffline, OFFLINE_EMBEDDING } from '../../src/domain/offlineEmbedding.js';
import { dot, l2Normalise, rankByCosine } from '../../src/domain/vectorMath.js';

const embed = (text: string): number[] => embedOffline([text])[0]!;
const norm = (vector: readonly number[]): number => Math.sqrt(dot(vector, vector));

describe('embedOffline', () => {
  it('names its model and dimension', () => {
    expect(OFFLINE_EMBEDDING).toEqual({ model: 'offline-hash-v1', dimension: 384 });
  });

  it('gives one unit vector of the dimension per text, in order', () => {
    const texts = ['Larder payment errors', 'slot picker', 'ERR-PAY-402', 'a much longer text '.repeat(50)];
    const vectors = embedOffline(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(OFFLINE_EMBEDDING.dimension);
      expect(norm(vector)).toBeCloseTo(1, 12);
    }
    expect(vectors[1]).toEqual(embed('slot picker'));
  });

  it('is deterministic, across calls and batches', () => {
    const text = 'Tendwell video visit failures and what the patient sees';
    expect(embed(text)).toEqual(embed(text));
    expect(embedOffline(['other', text, 'words'])[1]).toEqual(embed(text));
  });

  it('hashes to the same slots as it always has: a change here is a new model', () => {
    // "v3": the term (share 0.5) and three n-grams <v3, v3>, <v3> (0.3 between them); no pairs.
    const slots = embed('v3').flatMap((x, i) => (x === 0 ? [] : [[i, x]]));
    expect(slots.map(([i]) => i)).toEqual([33, 245, 248, 294]);
    const [gram, term] = [Math.sqrt(0.1 / 0.8), Math.sqrt(0.5 / 0.8)];
    slots.forEach(([, x], n) => expect(x).toBeCloseTo(n === 3 ? term : gram, 12));
  });

  it('gives text with no words the zero vector', () => {
    for (const text of ['', '   ', '—', 'the and of']) expect(norm(embed(text))).toBe(0);
  });

  it('puts word forms and spelling variants near each other, unrelated words far', () => {
    const base = embed('payment notifications');
    expect(dot(base, embed('notify about payments'))).toBeGreaterThan(0.3);
    expect(dot(embed('colour'), embed('color'))).toBeGreaterThan(0.1);
    expect(Math.abs(dot(base, embed('seat map usability')))).toBeLessThan(0.15);
  });

  it('is lexical: a synonym is no nearer than an unrelated word', () => {
    const basket = embed('basket');
    expect(Math.abs(dot(basket, embed('cart')))).toBeLessThan(0.15);
  });

  it('ranks a passage that shares the query’s words above one that does not', () => {
    const passages = ['The slot picker shows green slots first.', 'Hearts were removed from lessons.'];
    const items = embedOffline(passages).map((vector, i) => ({ id: `p${i}`, vector }));
    expect(rankByCosine(embed('green slots in the slot picker'), items).map((hit) => hit.id)).toEqual(['p0', 'p1']);
  });
});

describe('vector math', () => {
  it('normalises to length 1 and leaves zero alone', () => {
    const [x, y] = l2Normalise([3, 4]);
    expect(x).toBeCloseTo(0.6, 15);
    expect(y).toBeCloseTo(0.8, 15);
    expect(l2Normalise([0, 0])).toEqual([0, 0]);
  });

  it('refuses vectors of different dimensions', () => {
    expect(() => dot([1], [1, 2])).toThrow(RangeError);
  });
});
