import { byScoreThenId, type Scored } from './fusion.js';

/** The dot product; for unit vectors, their cosine similarity. */
export function dot(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`vectors of ${a.length} and ${b.length} dimensions`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** The vector scaled to length 1; the zero vector stays zero (it is similar to nothing). */
export function l2Normalise(vector: readonly number[]): number[] {
  let squares = 0;
  for (const x of vector) squares += x * x;
  if (squares === 0) return [...vector];
  const scale = 1 / Math.sqrt(squares);
  return vector.map((x) => x * scale);
}

/** Items by cosine similarity to `query`, all vectors unit length: highest first, ties by id. */
export function rankByCosine(
  query: readonly number[],
  items: readonly { id: string; vector: readonly number[] }[],
): Scored[] {
  return items.map(({ id, vector }) => ({ id, score: dot(query, vector) })).sort(byScoreThenId);
}
