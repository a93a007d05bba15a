import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

/** Entity reference resolvers by type name: `{ User: { __resolveReference } }`. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

const FEDERATION_LINK = /* GraphQL */ `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.7"
      import: [
        "@key"
        "@shareable"
        "@external"
        "@requires"
        "@provides"
        "@inaccessible"
        "@tag"
        "@authenticated"
        "@requiresScopes"
        "@policy"
      ]
    )
`;

/**
 * The one federation glue: type-graphql builds the schema from decorated classes, its
 * SDL (with `@key` and friends) is wrapped in the Federation 2 `@link`, and
 * `@apollo/subgraph` adds `_service`/`_entities` with our reference resolvers.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    ...options,
    skipCheck: true,
    validate: false,
  });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({
    typeDefs: parse(FEDERATION_LINK + printSchemaWithDirectives(schema)),
    resolvers,
  });
}
