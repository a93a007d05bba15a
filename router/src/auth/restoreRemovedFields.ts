import { mapSchema, MapperKind } from '@graphql-tools/utils';
import {
  execute,
  responsePathAsArray,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { fieldRefusedError } from './authorize.js';
import type { Removal, RemovedFields } from './removeUnauthorizedFields.js';

export interface RestoreArgs {
  schema: GraphQLSchema;
  /** The client's document, before removal. */
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | undefined;
  removed: RemovedFields;
  /** The data of the pruned operation. */
  data: Record<string, unknown>;
}

/**
 * The response in the shape of the client's operation, as Apollo Router returns it: each
 * removed field is `null` with an UNAUTHENTICATED/FORBIDDEN error at its response path,
 * and a removed non-null field nulls its parent by the standard propagation. Executing
 * the client's document over the pruned operation's data lets graphql-js apply exactly
 * those rules (and `@skip`/`@include`, list indices, aliases).
 */
export async function restoreRemovedFields(args: RestoreArgs): Promise<ExecutionResult> {
  const contextValue: RestoreContext = { removed: args.removed };
  return await execute({
    schema: restoringSchema(args.schema),
    document: args.document,
    operationName: args.operationName,
    variableValues: args.variables,
    rootValue: args.data,
    contextValue,
  });
}

interface RestoreContext {
  removed: RemovedFields;
}

/** Every field reads its response key from the data, or throws the refusal of a removed field. */
const restoreField: GraphQLFieldResolver<Record<string, unknown> | null, RestoreContext> = (
  source,
  _args,
  { removed },
  info,
) => {
  const removal = removalOf(info.fieldNodes, removed);
  if (removal) {
    const at = responsePathAsArray(info.path).join('.');
    throw fieldRefusedError(removal.code, removal.below.length > 0 ? removal.below.map((b) => `${at}.${b}`) : [at]);
  }
  return source?.[info.path.key];
};

const restoringSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();

/**
 * A copy of `schema` whose resolvers are all `restoreField`, made once per schema. The
 * schema itself may carry resolvers: Apollo Server instruments the gateway's in place
 * (for its cache-control plugin) with ones that read fields by name, not by alias.
 */
function restoringSchema(schema: GraphQLSchema): GraphQLSchema {
  let restoring = restoringSchemas.get(schema);
  if (!restoring) {
    restoring = mapSchema(schema, { [MapperKind.OBJECT_FIELD]: (field) => ({ ...field, resolve: restoreField }) });
    restoringSchemas.set(schema, restoring);
  }
  return restoring;
}

/** A field merged from several selections is removed only if every one of them was. */
function removalOf(nodes: readonly FieldNode[], removed: RemovedFields): Removal | undefined {
  const removals = nodes.map((node) => removed.get(node));
  return removals.every((removal) => removal !== undefined) ? removals[0] : undefined;
}
