import { describe, expect, it } from 'vitest';
import {
  dedupeRepresentations,
  expandEntities,
  expandEntityErrors,
  hasDuplicates,
} from '../src/subgraphCalls/dedupeRepresentations.js';

const owner = { __typename: 'User', id: 'u1' };
const other = { __typename: 'User', id: 'u2' };

describe('dedupeRepresentations', () => {
  it('sends each distinct representation once, in order of first appearance', () => {
    const deduped = dedupeRepresentations([owner, { ...owner }, other, { ...owner }, other]);
    expect(deduped.unique).toEqual([owner, other]);
    expect(deduped.positions).toEqual([0, 0, 1, 0, 1]);
    expect(hasDuplicates(deduped)).toBe(true);
  });

  it('keeps representations that differ in any field apart', () => {
    const deduped = dedupeRepresentations([owner, { ...owner, id: 'u1 ' }, { __typename: 'Workspace', id: 'u1' }]);
    expect(deduped.unique).toHaveLength(3);
    expect(hasDuplicates(deduped)).toBe(false);
  });

  it('fans entities back out to every original position, each its own object', () => {
    const positions = [0, 0, 1, 0];
    const first = { name: 'Ada', tags: ['a'] };
    const entities = expandEntities([first, null], positions);
    expect(entities).toEqual([first, first, null, first]);
    expect(entities[0]).toBe(first);
    expect(entities[1]).not.toBe(first);
    expect((entities[1] as typeof first).tags).not.toBe(first.tags);
  });

  it('repeats an entity error for every position that asked for it, and leaves other errors alone', () => {
    const errors = expandEntityErrors(
      [
        { message: 'no such workspace', path: ['_entities', 1, 'name'] },
        { message: 'elsewhere', path: ['me'] },
        { message: 'no path' },
        { message: 'made-up index', path: ['_entities', 7] },
      ],
      [0, 1, 0, 1],
    );
    expect(errors).toEqual([
      { message: 'no such workspace', path: ['_entities', 1, 'name'] },
      { message: 'no such workspace', path: ['_entities', 3, 'name'] },
      { message: 'elsewhere', path: ['me'] },
      { message: 'no path' },
      { message: 'made-up index', path: ['_entities', 7] },
    ]);
  });
});
