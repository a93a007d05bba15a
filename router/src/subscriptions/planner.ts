import { operationFromDocument, type Schema, type Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode } from 'graphql';

export interface SubscriptionPlan {
  /** The subscription sent to the subgraph that owns the root field. */
  primary: FetchNode;
  /** What the other subgraphs add to each event, if anything. */
  rest: PlanNode | undefined;
}

/**
 * Splits a subscription, as the query planner does, into the upstream subscription and
 * the fetches that complete each of its events from other subgraphs.
 */
export class SubscriptionPlanner {
  private readonly planner: QueryPlanner;

  constructor(
    supergraph: Supergraph,
    private readonly apiSchema: Schema,
  ) {
    this.planner = new QueryPlanner(supergraph);
  }

  /** Throws a GraphQLError when the operation cannot be planned as a subscription. */
  plan(document: DocumentNode, operationName: string | null | undefined): SubscriptionPlan {
    try {
      const operation = operationFromDocument(this.apiSchema, document, { operationName: operationName ?? undefined });
      const node = this.planner.buildQueryPlan(operation).node;
      if (node?.kind !== 'Subscription') throw new GraphQLError('Not a subscription operation.');
      return { primary: node.primary, rest: node.rest };
    } catch (error) {
      throw error instanceof GraphQLError ? error : new GraphQLError((error as Error).message);
    }
  }
}
