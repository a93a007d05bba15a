import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { badUserInput } from '#internal/errors';
import { checkFirst, type Page } from '#internal/pagination';
import type { FlowDocument, FlowModel } from '../../store/flow.model.js';

export enum FlowOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  NAME = 'NAME',
}
registerEnumType(FlowOrderField, { name: 'FlowOrderField' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType({ description: 'How to order a list of flows; ties are broken by id, so pages never skip or repeat.' })
export class FlowOrder {
  @Field(() => FlowOrderField)
  field!: FlowOrderField;

  @Field(() => OrderDirection, { nullable: true, description: 'Default DESC.' })
  direction?: OrderDirection | null;
}

@InputType({ description: 'Which flows to list; all given conditions apply.' })
export class FlowFilter {
  @Field(() => String, { nullable: true, description: 'Words in the name or description (case-insensitive).' })
  search?: string | null;

  @Field(() => ID, { nullable: true })
  workspaceId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Created by this user.' })
  ownerId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Changed at or after this time.' })
  updatedSince?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'The deleted flows (the trash) instead of the live ones.' })
  deleted?: boolean | null;
}

const FIELD: Record<FlowOrderField, 'createdAt' | 'updatedAt' | 'name' | '_id'> = {
  CREATED_AT: '_id', // ids grow with creation time, and `_id` is always indexed
  UPDATED_AT: 'updatedAt',
  NAME: 'name',
};

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The store conditions of a filter (on top of what the caller may see). */
export function filterConditions(filter: FlowFilter | null | undefined): Record<string, unknown>[] {
  const conditions: Record<string, unknown>[] = [filter?.deleted ? { deletedAt: { $ne: null } } : { deletedAt: null }];
  const search = filter?.search?.trim();
  if (search) {
    if (search.length > 200) throw badUserInput('search has at most 200 characters.', 'filter.search');
    // Every word must appear, in the name or the description.
    for (const word of search.split(/\s+/).slice(0, 10)) {
      const pattern = { $regex: escapeRegex(word), $options: 'i' };
      conditions.push({ $or: [{ name: pattern }, { description: pattern }] });
    }
  }
  if (filter?.workspaceId) conditions.push({ workspaceId: filter.workspaceId });
  if (filter?.ownerId) conditions.push({ ownerId: filter.ownerId });
  if (filter?.updatedSince) conditions.push({ updatedAt: { $gte: filter.updatedSince } });
  return conditions;
}

interface Cursor {
  v: string | number;
  id: string;
}

const encode = (field: string, cursor: Cursor): string =>
  Buffer.from(JSON.stringify({ f: field, ...cursor })).toString('base64url');

function decode(field: string, text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString()) as { f?: unknown; v?: unknown; id?: unknown };
    const fits = typeof parsed.v === 'string' || typeof parsed.v === 'number';
    if (parsed.f === field && fits && typeof parsed.id === 'string' && /^[a-f0-9]{24}$/.test(parsed.id)) {
      return { v: parsed.v as string | number, id: parsed.id };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badUserInput('after is not a cursor of this list (with this order).', 'after');
}

/**
 * One page of flows in the given order, by keyset: the cursor holds the sort value and
 * id of the last row, so a page costs one indexed query however deep it is.
 */
export async function listFlows<T>(
  flows: FlowModel,
  conditions: Record<string, unknown>[],
  order: FlowOrder | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
  map: (doc: FlowDocument) => T,
): Promise<Page<T>> {
  const size = checkFirst(first);
  const field = FIELD[order?.field ?? FlowOrderField.CREATED_AT];
  const dir = order?.direction === OrderDirection.ASC ? 1 : -1;
  const beyond = dir === 1 ? '$gt' : '$lt';
  const all = [...conditions];
  if (after) {
    const cursor = decode(field, after);
    const value = field === 'updatedAt' ? new Date(cursor.v) : cursor.v;
    all.push(
      field === '_id'
        ? { _id: { [beyond]: cursor.id } }
        : { $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: cursor.id } }] },
    );
  }
  const sort: Record<string, 1 | -1> = field === '_id' ? { _id: dir } : { [field]: dir, _id: dir };
  const docs = await flows
    .find({ $and: all })
    .sort(sort)
    .limit(size + 1);
  const edges = docs.slice(0, size).map((doc) => {
    const raw = field === '_id' ? doc.id : field === 'updatedAt' ? doc.updatedAt.getTime() : doc.name;
    return { node: map(doc), cursor: encode(field, { v: raw as string | number, id: doc.id as string }) };
  });
  return { edges, pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
