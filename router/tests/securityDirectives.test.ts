import { readFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findViolations, violationError } from '../src/auth/authorize.js';
import { splitSecurityDirectives } from '../src/auth/securityDirectives.js';

const SUBGRAPH = /* GraphQL */ `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.7"
      import: ["@key", { name: "@authenticated", as: "@signedIn" }, "@requiresScopes", "@policy"]
    )
  type Query {
    open: String
    me: User @signedIn
    audit: [String!]! @requiresScopes(scopes: [["audit:read"], ["admin", "support"]])
    billing: String @policy(policies: [["billing_owner"]])
  }
  type User @key(fields: "id") {
    id: ID!
    name: String!
    secret: Secret
  }
  type Secret @requiresScopes(scopes: [["admin"]]) {
    value: String!
  }
`;

function supergraph(): string {
  const result = composeServices([{ name: 'one', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(SUBGRAPH) }]);
  if (!result.supergraphSdl) throw new Error(JSON.stringify(result.errors));
  return result.supergraphSdl;
}

describe('splitSecurityDirectives', () => {
  it('takes the rules out and leaves a supergraph the gateway accepts', () => {
    const sdl = supergraph();
    expect(() => Supergraph.build(sdl)).toThrow(/SECURITY/);
    const { gatewaySdl, rules } = splitSecurityDirectives(sdl);
    expect(() => Supergraph.build(gatewaySdl)).not.toThrow();
    expect(gatewaySdl).not.toMatch(/SECURITY\)|@signedIn|@requiresScopes\(|@policy\(/);
    expect(rules.fields.get('Query.me')).toEqual({ authenticated: true, scopes: [], policies: [] });
    expect(rules.fields.get('Query.audit')?.scopes).toEqual([['audit:read'], ['admin', 'support']]);
    expect(rules.fields.get('Query.billing')?.policies).toEqual([['billing_owner']]);
    expect(rules.types.get('Secret')?.scopes).toEqual([['admin']]);
    expect(rules.fields.has('Query.open')).toBe(false);
  });

  it('leaves a supergraph without security features untouched', () => {
    const plain = composeServices([
      { name: 'one', url: 'http://127.0.0.1:1/graphql', typeDefs: parse('type Query { open: String }') },
    ]).supergraphSdl;
    expect(plain).toBeDefined();
    expect(splitSecurityDirectives(plain ?? '')).toEqual({
      gatewaySdl: plain,
      rules: { types: new Map(), fields: new Map() },
    });
  });

  it('reads the committed supergraph', async () => {
    const { rules } = splitSecurityDirectives(await readFile('schema/supergraph.graphql', 'utf8'));
    expect(rules.fields.get('Mutation.createFlow')?.authenticated).toBe(true);
    expect(rules.fields.get('Subscription.flowEvents')?.authenticated).toBe(true);
    expect(rules.fields.has('Query.flow')).toBe(false);
  });
});

describe('findViolations', () => {
  const { gatewaySdl, rules } = splitSecurityDirectives(supergraph());
  const schema = Supergraph.build(gatewaySdl).apiSchema().toGraphQLJSSchema();
  const violations = (query: string, identity: { userId: string; scopes?: string[] } | null, policies = {}) =>
    findViolations(schema, parse(query), undefined, identity, rules, policies);

  it('refuses by field and by type, at response paths (aliases, fragments)', () => {
    const query = '{ open mine: me { id ...F } } fragment F on User { secret { value } }';
    expect(violations(query, null)).toEqual([{ path: 'mine', code: 'UNAUTHENTICATED' }]);
    expect(violations(query, { userId: 'u' })).toEqual([{ path: 'mine.secret', code: 'FORBIDDEN' }]);
    expect(violations(query, { userId: 'u', scopes: ['admin'] })).toEqual([]);
    expect(violations('{ open }', null)).toEqual([]);
  });

  it('needs every scope of one group, and a passing check for policies', () => {
    expect(violations('{ audit }', { userId: 'u', scopes: ['admin'] })).toEqual([{ path: 'audit', code: 'FORBIDDEN' }]);
    expect(violations('{ audit }', { userId: 'u', scopes: ['admin', 'support'] })).toEqual([]);
    expect(violations('{ audit }', { userId: 'u', scopes: ['audit:read'] })).toEqual([]);
    expect(violations('{ billing }', { userId: 'u' })).toEqual([{ path: 'billing', code: 'FORBIDDEN' }]);
    expect(violations('{ billing }', { userId: 'u' }, { billing_owner: () => true })).toEqual([]);
  });

  it('reports UNAUTHENTICATED (401) when any refusal is for lack of identity', () => {
    const error = violationError([
      { path: 'a', code: 'FORBIDDEN' as never },
      { path: 'b', code: 'UNAUTHENTICATED' as never },
    ]);
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(error.message).toBe('Sign in to access: a, b.');
  });
});
