import { collectFields } from '@graphql-tools/utils';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { ErrorCode } from '#internal/errors';

/** A subscription's one root field, as execution will run it. */
export interface RootField {
  name: string;
  /** Its argument values, coerced, with the client's variables. */
  args: Record<string, unknown>;
}

const refused = (message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });

/**
 * The root field a subscription will run, found the way execution finds it: fields
 * collected with the coerced variables, so `@skip`/`@include`, fragments and aliases
 * cannot show one field to a check and run another. Anything but exactly one collected
 * root field is refused (throws).
 */
export function subscriptionRootField(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): RootField {
  const operation = getOperationAST(document, operationName);
  const type = schema.getSubscriptionType();
  if (operation?.operation !== 'subscription' || !type) throw refused('Not a subscription operation.');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) throw refused(coerced.errors[0]?.message ?? 'Invalid variables.');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const { fields } = collectFields(schema, fragments, coerced.coerced, type, operation.selectionSet);
  const collected = [...fields.values()];
  const [nodes] = collected;
  const node = nodes?.[0];
  const definition = node && type.getFields()[node.name.value];
  if (collected.length !== 1 || !node || !definition) {
    throw refused(`A subscription selects exactly one root field; this one selects ${collected.length}.`);
  }
  return { name: node.name.value, args: getArgumentValues(definition, node, coerced.coerced) };
}
