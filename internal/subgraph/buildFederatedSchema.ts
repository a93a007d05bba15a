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
        "@composeDirective"
      ]
    )
    @link(url: "https://ux-flow-engine.dev/fan-out/v1.0", import: ["@fanOut"])
    @composeDirective(name: "@fanOut")

  """
  On a subscription field whose events are the same for every caller allowed to see
  them: the router subscribes once for all its subscribers with the same selection and
  arguments, and runs \`guard\` (a query; its variables are the field's arguments of the
  same names) as each of them, when they subscribe and again while events flow. A null
  root field or an error ends that subscriber's stream. A subscriber that gives any of
  the arguments in \`unsharedWith\` (they change what its stream starts with, like a
  replay) gets a stream of its own.
  """
  directive @fanOut(guard: String!, unsharedWith: [String!]) on FIELD_DEFINITION
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
