import { Directive, Field, ObjectType } from 'type-graphql';
import { badUserInput } from '#internal/errors';

/** Relay page info; every subgraph that paginates declares the same shareable type. */
@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

export const PAGE = { default: 20, max: 100 } as const;

/** The page size asked for, or BAD_USER_INPUT on `first`. */
export function checkFirst(first: number | null | undefined): number {
  const size = first ?? PAGE.default;
  if (!Number.isInteger(size) || size < 1 || size > PAGE.max) {
    throw badUserInput(`first must be between 1 and ${PAGE.max}.`, 'first');
  }
  return size;
}

/**
 * Cursors are opaque to clients but are just a kind and a document id: pages are in
 * `_id` order, so a cursor stays valid while documents come and go. The kind keeps a
 * cursor of one list from being used on another.
 */
export const encodeCursor = (kind: string, id: string): string => Buffer.from(`${kind}:${id}`).toString('base64url');

export function decodeCursor(kind: string, cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const match = new RegExp(`^${kind}:([a-f0-9]{24})$`).exec(decoded);
  if (!match?.[1]) throw badUserInput('after is not a cursor returned by this API.', 'after');
  return match[1];
}

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
}

/**
 * One page, newest first: `fetch` gets the filter on `_id` and the number of documents
 * to load (one more than the page, to know whether another page follows).
 */
export async function newestFirstPage<TDoc extends { id: string }, T>(
  kind: string,
  first: number | null | undefined,
  after: string | null | undefined,
  fetch: (idFilter: { $lt: string } | undefined, limit: number) => Promise<TDoc[]>,
  map: (doc: TDoc) => T,
): Promise<Page<T>> {
  const size = checkFirst(first);
  const docs = await fetch(after ? { $lt: decodeCursor(kind, after) } : undefined, size + 1);
  const edges = docs.slice(0, size).map((doc) => ({ node: map(doc), cursor: encodeCursor(kind, doc.id) }));
  return { edges, pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
