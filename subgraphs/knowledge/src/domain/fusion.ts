/** A ranked hit: the id of what was found and its score in the ranking that found it. */
export interface Scored {
  id: string;
  score: number;
}

/** Score descending, then id ascending by code unit, so every ranking is reproducible. */
export function byScoreThenId(a: Scored, b: Scored): number {
  return b.score - a.score || compareIds(a.id, b.id);
}

/** Ids in code-unit order: locale-free, the same everywhere. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009). */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each id scores Σ 1/(k + rank) over the rankings that hold it,
 * rank counted from 1. Only ranks matter, so lists with scores on different scales (BM25,
 * cosine) combine without calibration. An id repeated within one list counts at its best
 * rank there. Ties go to the better single rank, then to the id.
 */
export function fuseRankings(rankings: readonly (readonly { id: string }[])[], k: number = RRF_K): Scored[] {
  const fused = new Map<string, { score: number; bestRank: number }>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach(({ id }, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      const rank = index + 1;
      const entry = fused.get(id);
      if (entry === undefined) fused.set(id, { score: 1 / (k + rank), bestRank: rank });
      else {
        entry.score += 1 / (k + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
      }
    });
  }
  return [...fused]
    .sort(([idA, a], [idB, b]) => b.score - a.score || a.bestRank - b.bestRank || compareIds(idA, idB))
    .map(([id, { score }]) => ({ id, score }));
}

/** The hits in order, keeping only the first for each key (e.g. the best passage of each document). */
export function dedupeBy<T>(hits: readonly T[], key: (hit: T) => string): T[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const value = key(hit);
    if (seen.has(value)) return false;
    seen.add(value);
    return true;
  });
}
