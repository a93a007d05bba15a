import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { parse, print, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Identity } from '#internal/auth';
import { authorizeOperation, type OperationAuthorization } from '../src/auth/authorize.js';
import { restoreRemovedFields } from '../src/auth/restoreRemovedFields.js';
import { splitSecurityDirectives } from '../src/auth/securityDirectives.js';

const SUBGRAPH = /* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@authenticated", "@requiresScopes"])
  type Query {
    open: String
    user(id: ID!): User
    users: [User!]!
    audit(limit: Int): [String!]! @requiresScopes(scopes: [["audit:read"]])
    search: [SearchResult!]!
    anything: [Anything!]!
  }
  type User @key(fields: "id") {
    id: ID!
    name: String!
    email: String @authenticated
    phone: String! @authenticated
    friends: [User!]!
  }
  type Note {
    text: String!
  }
  type Secret @requiresScopes(scopes: [["admin"]]) {
    value: String!
  }
  union SearchResult = User | Note
  union Anything = Note | Secret
`;

function composed(): string {
  const result = composeServices([{ name: 'one', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(SUBGRAPH) }]);
  if (!result.supergraphSdl) throw new Error(JSON.stringify(result.errors));
  return result.supergraphSdl;
}

const { gatewaySdl, rules } = splitSecurityDirectives(composed());
const schema = Supergraph.build(gatewaySdl).apiSchema().toGraphQLJSSchema();
const member: Identity = { userId: 'u', scopes: [] };

const authorize = (query: string, identity: Identity | null = null, operationName?: string) =>
  authorizeOperation(schema, parse(query), operationName, identity, rules);

/** The pruned operation, printed and checked valid, as the gateway gets it. */
function pruned(authorization: OperationAuthorization): string {
  if (authorization.kind !== 'partial') throw new Error(`expected a partial authorization, got ${authorization.kind}`);
  expect(validate(schema, authorization.document)).toEqual([]);
  return print(authorization.document);
}

const compact = (query: string): string => print(parse(query));

describe('authorizeOperation', () => {
  it('leaves an operation with nothing refused untouched', () => {
    expect(authorize('{ open users { name email } }', member)).toEqual({ kind: 'authorized' });
  });

  it('removes refused fields under aliases and nested lists', () => {
    const result = authorize('{ open people: users { name mail: email friends { id phone } } }');
    expect(pruned(result)).toBe(compact('{ open people: users { name friends { id } } }'));
  });

  it('takes away a field whose selection is left empty, as Apollo Router does', () => {
    const result = authorize('{ open user(id: "1") { email } }');
    expect(pruned(result)).toBe(compact('{ open }'));
  });

  it('prunes a fragment once for every place it is spread, and drops fragments left empty', () => {
    const result = authorize(/* GraphQL */ `
      {
        user(id: "1") {
          ...Contact
          ...Mail
        }
        users {
          ...Mail
        }
      }
      fragment Contact on User {
        id
        email
      }
      fragment Mail on User {
        email
      }
    `);
    expect(pruned(result)).toBe(compact('{ user(id: "1") { ...Contact } } fragment Contact on User { id }'));
  });

  it('drops inline fragments left empty and keeps the rest of the selection', () => {
    const result = authorize('{ users { ... on User { email } name ... @include(if: true) { id phone } } }');
    expect(pruned(result)).toBe(compact('{ users { name ... @include(if: true) { id } } }'));
  });

  it('drops variables only removed fields used, so the operation stays valid', () => {
    const result = authorize(
      'query Q($limit: Int, $id: ID!, $skip: Boolean!) { audit(limit: $limit) user(id: $id) { name email @skip(if: $skip) } }',
      member,
    );
    expect(pruned(result)).toBe(
      compact('query Q($id: ID!, $skip: Boolean!) { user(id: $id) { name email @skip(if: $skip) } }'),
    );
  });

  it('keeps only the selected operation of a document with several', () => {
    const result = authorize('query A { open audit } query B { audit }', member, 'A');
    expect(pruned(result)).toBe(compact('query A { open }'));
  });

  it('asks abstract-typed objects for their __typename, to shape the response back', () => {
    const result = authorize('{ user(id: "1") { email } search { ... on Note { text } } }');
    expect(pruned(result)).toBe(compact('{ search { ... on Note { text } __typename } }'));
  });

  it('refuses a field of a union or interface when one of its possible types is refused', () => {
    const result = authorize('{ open anything { ... on Note { text } } }', member);
    expect(result.kind === 'partial' && print(result.document)).toBe(compact('{ open }'));
  });

  it('refuses the whole operation (401/403, every refused path) when nothing authorized is left', () => {
    const anonymous = authorize('{ user(id: "1") { email phone } audit }');
    expect(anonymous.kind === 'refused' && anonymous.error.message).toBe(
      'Sign in to access: user.email, user.phone, audit.',
    );
    expect(anonymous.kind === 'refused' && anonymous.error.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      http: { status: 401 },
    });
    const signedIn = authorize('{ audit }', member);
    expect(signedIn.kind === 'refused' && signedIn.error.extensions).toMatchObject({
      code: 'FORBIDDEN',
      fields: [{ path: 'audit', code: 'FORBIDDEN' }],
      http: { status: 403 },
    });
  });
});

describe('restoreRemovedFields', () => {
  /** Authorizes `query` anonymously and puts `data` (the pruned operation's) back in its shape. */
  async function restore(
    query: string,
    data: Record<string, unknown>,
    variables: Record<string, unknown> = {},
    served = schema,
  ) {
    const document: DocumentNode = parse(query);
    const authorization = authorizeOperation(schema, document, undefined, null, rules);
    if (authorization.kind !== 'partial')
      throw new Error(`expected a partial authorization, got ${authorization.kind}`);
    const { removed } = authorization;
    const result = await restoreRemovedFields({ schema: served, document, variables, removed, data });
    return {
      data: result.data,
      errors: result.errors?.map(({ message, path, extensions }) => ({ message, path, code: extensions['code'] })),
    };
  }

  it('returns removed fields as null with an error at each response path, list indices included', async () => {
    const result = await restore('{ open people: users { name mail: email } }', {
      open: 'yes',
      people: [{ name: 'Ada' }, { name: 'Linus' }],
    });
    expect(result).toEqual({
      data: {
        open: 'yes',
        people: [
          { name: 'Ada', mail: null },
          { name: 'Linus', mail: null },
        ],
      },
      errors: [
        { message: 'Sign in to access: people.0.mail.', path: ['people', 0, 'mail'], code: 'UNAUTHENTICATED' },
        { message: 'Sign in to access: people.1.mail.', path: ['people', 1, 'mail'], code: 'UNAUTHENTICATED' },
      ],
    });
  });

  it('nulls the parent of a removed non-null field', async () => {
    const result = await restore('{ open user(id: "1") { name phone } }', { open: 'yes', user: { name: 'Ada' } });
    expect(result).toEqual({
      data: { open: 'yes', user: null },
      errors: [{ message: 'Sign in to access: user.phone.', path: ['user', 'phone'], code: 'UNAUTHENTICATED' }],
    });
  });

  it('reports a field taken away for being left empty at its own path, naming what was refused below', async () => {
    const result = await restore('{ open user(id: "1") { email } }', { open: 'yes' });
    expect(result).toEqual({
      data: { open: 'yes', user: null },
      errors: [{ message: 'Sign in to access: user.email.', path: ['user'], code: 'UNAUTHENTICATED' }],
    });
  });

  it('reports nothing for a removed field the client skipped, or under a null parent', async () => {
    const result = await restore(
      'query ($no: Boolean!) { open user(id: "1") { name email @skip(if: $no) } }',
      { open: 'yes', user: null },
      { no: false },
    );
    expect(result).toEqual({ data: { open: 'yes', user: null }, errors: undefined });
    const skipped = await restore(
      'query ($no: Boolean!) { open user(id: "1") { name email @skip(if: $no) } }',
      { open: 'yes', user: { name: 'Ada' } },
      { no: true },
    );
    expect(skipped).toEqual({ data: { open: 'yes', user: { name: 'Ada' } }, errors: undefined });
  });

  it('shapes abstract types by the __typename it added, without returning it', async () => {
    const result = await restore('{ open search { ... on User { name email } ... on Note { text } } }', {
      open: 'yes',
      search: [
        { __typename: 'User', name: 'Ada' },
        { __typename: 'Note', text: 'hi' },
      ],
    });
    expect(result).toEqual({
      data: { open: 'yes', search: [{ name: 'Ada', email: null }, { text: 'hi' }] },
      errors: [
        { message: 'Sign in to access: search.0.email.', path: ['search', 0, 'email'], code: 'UNAUTHENTICATED' },
      ],
    });
  });

  it("ignores the schema's own resolvers (Apollo Server instruments the gateway's to read by field name)", async () => {
    const byName = mapSchema(schema, {
      [MapperKind.OBJECT_FIELD]: (field) => ({
        ...field,
        resolve: (source: Record<string, unknown>, _args, _context, info) => source[info.fieldName],
      }),
    });
    const result = await restore(
      '{ open people: users { name mail: email } }',
      { open: 'yes', people: [] },
      {},
      byName,
    );
    expect(result).toEqual({ data: { open: 'yes', people: [] }, errors: undefined });
    const removedAtRoot = await restore('{ open mine: user(id: "1") { email } }', { open: 'yes' }, {}, byName);
    expect(removedAtRoot.errors?.[0]?.path).toEqual(['mine']);
  });
});
