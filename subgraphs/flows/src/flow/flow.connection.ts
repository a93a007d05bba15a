import { Directive, Field, ObjectType } from 'type-graphql';
import { badUserInput } from '../../../../internal/errors/index.js';
import { Flow } from './flow.type.js';

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

@ObjectType()
export class FlowConnectionEdge {
  @Field(() => Flow)
  node!: Flow;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class FlowConnection {
  @Field(() => [FlowConnectionEdge])
  edges!: FlowConnectionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

export const PAGE = { default: 20, max: 100 } as const;

export function checkFirst(first: number | null | undefined): number {
  const size = first ?? PAGE.default;
  if (!Number.isInteger(size) || size < 1 || size > PAGE.max) {
    throw badUserInput(`first must be between 1 and ${PAGE.max}.`, 'first');
  }
  return size;
}

export const encodeCursor = (id: string): string => Buffer.from(`flow:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const match = /^flow:([a-f0-9]{24})$/.exec(decoded);
  if (!match?.[1]) throw badUserInput('after is not a cursor returned by this API.', 'after');
  return match[1];
}
