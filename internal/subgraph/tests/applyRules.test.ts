import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { allow } from 'graphql-shield';
import { describe, expect, it } from 'vitest';
import { notFound } from '#internal/errors';
import { applyRules, isSignedIn } from '#internal/subgraph';

const schema = buildSubgraphSchema({
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query {
      open: Thing
      private: Thing
      missing: Thing
      forgotten: String
    }
    type Thing @key(fields: "id") {
      id: ID!
      label: String
    }
  `),
  resolvers: {
    Query: {
      open: () => ({ id: '1', label: 'one' }),
      private: () => ({ id: '2', label: 'two' }),
      missing: () => {
        throw notFound('No such thing.');
      },
      forgotten: () => 'should never be seen',
    },
    Thing: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, label: `ref ${ref.id}` }) },
  } as never,
});

const guarded = applyRules(schema, {
  Query: { open: allow, private: isSignedIn, missing: allow },
  Thing: allow,
});

const run = async (query: string, identity: { userId: string } | null = null) =>
  JSON.parse(JSON.stringify(await graphql({ schema: guarded, source: query, contextValue: { identity } })));

describe('applyRules', () => {
  it('denies a field that has no rule with FORBIDDEN', async () => {
    const result = await run('{ forgotten }');
    expect(result.data).toEqual({ forgotten: null });
    expect(result.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers UNAUTHENTICATED for isSignedIn, and passes when signed in', async () => {
    expect((await run('{ private { id } }')).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await run('{ private { id } }', { userId: 'u' })).data).toEqual({ private: { id: '2' } });
  });

  it("passes resolvers' own coded errors through", async () => {
    expect((await run('{ missing { id } }')).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('keeps the federation fields the router needs', async () => {
    const entities = await run(
      '{ _entities(representations: [{ __typename: "Thing", id: "9" }]) { ... on Thing { label } } }',
    );
    expect(entities.data).toEqual({ _entities: [{ label: 'ref 9' }] });
    expect((await run('{ _service { sdl } }')).data._service.sdl).toContain('type Thing');
  });
});
