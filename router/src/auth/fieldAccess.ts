import type { GraphQLField, GraphQLInterfaceType, GraphQLObjectType } from 'graphql';
import type { ErrorCode } from '#internal/errors';

export type RefusalCode = ErrorCode.UNAUTHENTICATED | ErrorCode.FORBIDDEN;

export interface Violation {
  /** The response path of the refused field, e.g. `flow.owner.email`. */
  path: string;
  code: RefusalCode;
}

/** Why the caller may not select `field` on `parent`; null when they may. */
export type FieldAccess = (
  parent: GraphQLObjectType | GraphQLInterfaceType,
  field: GraphQLField<unknown, unknown>,
) => RefusalCode | null;
