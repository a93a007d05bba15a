import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import { subscriptionRootRule } from './subscriptionRootRule.js';

/** What one operation may cost, over HTTP and WebSocket alike. */
export interface OperationLimits {
  /** The parser stops past this many tokens (GRAPHQL_PARSE_FAILED). */
  maxTokens: number;
  /** Run after the specified rules: depth, aliases, directives, cost, and a subscription's root. */
  validationRules: ValidationRule[];
  /** Apollo Server only: the field-suggestion masking in production. */
  plugins: ApolloServerPlugin[];
}

export const MAX_TOKENS = 5_000;

/**
 * Operation limits, so one request cannot cost us unbounded work: depth, aliases,
 * directives, tokens and a cost estimate. Introspection is exempt from depth and cost
 * (it is switched off as a whole in production instead); field suggestions are blocked in
 * production only.
 */
export function operationLimits(production: boolean): OperationLimits {
  const armor = new ApolloArmor({
    maxDepth: { n: 10, ignoreIntrospection: true },
    // Every alias counts: armor's default exempts `__typename`, which also lets an alias
    // *named* `__typename` on any field go uncounted.
    maxAliases: { n: 30, allowList: [] },
    maxDirectives: { n: 30 },
    // Token limits are enforced by the parser (`parseOptions`): armor's own plugin turns
    // every syntax error into a 500 instead of GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    costLimit: { maxCost: 5_000, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    maxTokens: MAX_TOKENS,
    validationRules: [...validationRules, subscriptionRootRule],
    plugins: plugins as ApolloServerPlugin[],
  };
}
