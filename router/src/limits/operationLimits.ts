import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';

/** The parser stops past this many tokens (a 400 with GRAPHQL_PARSE_FAILED). */
export const MAX_TOKENS = 5_000;

/**
 * Operation limits, so one request cannot cost us unbounded work: depth, aliases,
 * directives, tokens and a cost estimate. Introspection stays allowed for the
 * playground and codegen; field suggestions are blocked in production only.
 */
export function operationLimits(production: boolean): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
} {
  const armor = new ApolloArmor({
    maxDepth: { n: 10, ignoreIntrospection: true },
    maxAliases: { n: 30 },
    maxDirectives: { n: 30 },
    // Token limits are enforced by the parser (`parseOptions`): armor's own plugin turns
    // every syntax error into a 500 instead of GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    costLimit: { maxCost: 5_000, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules };
}
