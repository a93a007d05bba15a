import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subscriptionRootField } from '../src/subscriptions/rootField.js';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    x: Int
  }
  type Subscription {
    events(id: ID!, since: Int): String
    other: String
  }
`);
const root = (query: string, variables: Record<string, unknown> = {}) =>
  subscriptionRootField(schema, parse(query), undefined, variables);

describe('subscriptionRootField', () => {
  it('is the field execution runs, whatever a skipped or excluded decoy says', () => {
    expect(root('subscription { decoy: events(id: "mine") @skip(if: true) real: events(id: "yours") }')).toEqual({
      name: 'events',
      args: { id: 'yours' },
    });
    expect(
      root(
        'subscription ($no: Boolean!) { events(id: "mine") @include(if: $no) real: events(id: "yours", since: 0) }',
        {
          no: false,
        },
      ),
    ).toEqual({ name: 'events', args: { id: 'yours', since: 0 } });
    expect(
      root(
        'subscription { ...D @include(if: false) real: events(id: "yours") } fragment D on Subscription { events(id: "mine") }',
      ),
    ).toEqual({ name: 'events', args: { id: 'yours' } });
  });

  it('coerces the arguments with the variables', () => {
    expect(root('subscription ($id: ID!) { events(id: $id) }', { id: 42 })).toEqual({
      name: 'events',
      args: { id: '42' },
    });
  });

  it('refuses anything but exactly one root field', () => {
    expect(() => root('subscription { a: events(id: "1") b: events(id: "2") }')).toThrow(/exactly one root field/);
    expect(() => root('subscription { events(id: "1") other }')).toThrow(/exactly one root field/);
    expect(() => root('subscription { events(id: "1") @skip(if: true) }')).toThrow(/selects 0/);
    expect(() => root('subscription { __typename }')).toThrow(/exactly one root field/);
    expect(() => root('subscription ($id: ID!) { events(id: $id) }')).toThrow(/\$id/);
    expect(() => root('query { x }')).toThrow(/Not a subscription/);
  });
});
