import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, shield, type IRules } from 'graphql-shield';
import { forbidden } from '#internal/errors';

/** What the router needs from a subgraph: its SDL, and entity lookups when it has entities. */
const FEDERATION_FIELDS = ['_service', '_entities'];

/**
 * Object-level rules with graphql-shield, deny by default: a field without a rule is
 * refused, so a new field must come with its rule. Entity lookups stay open here; their
 * `__resolveReference` applies the caller's visibility itself.
 */
export function applyRules(schema: GraphQLSchema, rules: Record<string, IRules>): GraphQLSchema {
  const query = { ...(rules['Query'] ?? {}) } as Record<string, IRules>;
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const name of FEDERATION_FIELDS) if (fields[name]) query[name] = allow;
  const tree = { ...rules, Query: query, _Service: allow } as IRules;
  return applyMiddleware(
    schema,
    shield(tree, {
      fallbackRule: deny,
      fallbackError: forbidden(),
      // Resolvers throw our own coded errors (NOT_FOUND, BAD_USER_INPUT…): pass them through.
      allowExternalErrors: true,
    }),
  );
}
