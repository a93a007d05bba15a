import type { GraphQLFormattedError } from 'graphql';

/** A page of 20 flows asks for the same owner 20 times: each distinct representation goes out once. */
export interface DedupedRepresentations {
  /** The distinct representations, in order of first appearance: what the subgraph is sent. */
  unique: unknown[];
  /** For each original position, the index of its representation in `unique`. */
  positions: number[];
}

/**
 * Keys representations by their JSON: the gateway builds each from the same `@key`
 * selection, so equal representations serialize with the same key order.
 */
export function dedupeRepresentations(representations: readonly unknown[]): DedupedRepresentations {
  const indexByKey = new Map<string, number>();
  const unique: unknown[] = [];
  const positions = representations.map((representation) => {
    const key = JSON.stringify(representation);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = unique.push(representation) - 1;
      indexByKey.set(key, index);
    }
    return index;
  });
  return { unique, positions };
}

/** Whether deduplication changes anything (most fetches have no duplicates). */
export const hasDuplicates = ({ unique, positions }: DedupedRepresentations): boolean =>
  unique.length < positions.length;

/**
 * The subgraph's `_entities` for the distinct representations, fanned back out to the
 * original positions. Repeats are copies: the gateway mutates each entity it merges
 * (`__typename`, output rewrites), so no two positions may share one object.
 */
export function expandEntities(entities: readonly unknown[], positions: readonly number[]): unknown[] {
  const used = new Set<number>();
  return positions.map((index) => {
    const entity = entities[index];
    if (!used.has(index)) {
      used.add(index);
      return entity;
    }
    return entity !== null && typeof entity === 'object' ? structuredClone(entity) : entity;
  });
}

/**
 * Errors at `["_entities", i, …]` name a distinct representation: each is repeated for
 * every original position that asked for it, so the gateway places it on every entity.
 */
export function expandEntityErrors(
  errors: readonly GraphQLFormattedError[],
  positions: readonly number[],
): GraphQLFormattedError[] {
  const originals = new Map<number, number[]>();
  positions.forEach((index, original) => {
    const list = originals.get(index);
    if (list) list.push(original);
    else originals.set(index, [original]);
  });
  return errors.flatMap((error) => {
    const [root, index, ...rest] = error.path ?? [];
    if (root !== '_entities' || typeof index !== 'number') return [error];
    const list = originals.get(index);
    // An index the subgraph made up stays as it came: the gateway reports it as is.
    if (!list) return [error];
    return list.map((original) => ({ ...error, path: ['_entities', original, ...rest] }));
  });
}
