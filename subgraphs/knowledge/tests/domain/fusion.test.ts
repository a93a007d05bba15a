import { describe, expect, it } from 'vitest';
import { dedupeBy, fuseRankings, RRF_K } from '../../src/domain/fusion.js';

const ids = (...values: string[]): { id: string }[] => values.map((id) => ({ id }));

describe('fuseRankings', () => {
  it('sums 1/(k + rank) over the rankings, ranks from 1', () => {
    const fused = fuseRankings([ids('a', 'b', 'c'), ids('c', 'a')]);
    expect(fused.map((hit) => hit.id)).toEqual(['a', 'c', 'b']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 15);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 15);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 15);
  });

  it('uses the k it is given', () => {
    expect(RRF_K).toBe(60);
    expect(fuseRankings([ids('a')], 1)).toEqual([{ id: 'a', score: 1 / 2 }]);
  });

  it('breaks ties by the best single rank, then by id', () => {
    // With k = 0: p scores 1/1, r 1/1, q 1/2 + 1/2 = 1; q's best rank is 2, p's and r's 1.
    const fused = fuseRankings([ids('p', 'q'), ids('r', 'q')], 0);
    expect(fused.map((hit) => hit.score)).toEqual([1, 1, 1]);
    expect(fused.map((hit) => hit.id)).toEqual(['p', 'r', 'q']);
    // x and y swap places between two lists: same score, same best rank, the id decides.
    expect(fuseRankings([ids('y', 'x'), ids('x', 'y')]).map((hit) => hit.id)).toEqual(['x', 'y']);
  });

  it('counts an id repeated within one list once, at its best rank', () => {
    expect(fuseRankings([ids('a', 'b', 'a')])).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'b', score: 1 / 62 },
    ]);
  });

  it('fuses nothing into nothing', () => {
    expect(fuseRankings([])).toEqual([]);
    expect(fuseRankings([[], []])).toEqual([]);
  });
});

describe('dedupeBy', () => {
  it('keeps the first hit per key, in order', () => {
    const hits = [
      { id: 'd1#2', doc: 'd1' },
      { id: 'd2#0', doc: 'd2' },
      { id: 'd1#0', doc: 'd1' },
      { id: 'd3#1', doc: 'd3' },
    ];
    expect(dedupeBy(hits, (hit) => hit.doc).map((hit) => hit.id)).toEqual(['d1#2', 'd2#0', 'd3#1']);
  });
});
