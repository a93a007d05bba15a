import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER } from '#internal/auth';
import type { RouterContext } from './context.js';
import { subgraphFetcher, type Fetcher } from './http/subgraphFetcher.js';
import {
  dedupeRepresentations,
  expandEntities,
  expandEntityErrors,
  hasDuplicates,
} from './subgraphCalls/dedupeRepresentations.js';
import { shareIdenticalQueries } from './subgraphCalls/shareIdenticalQueries.js';

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** What the router saves on subgraph calls, e.g. for a metric. */
export interface SubgraphCallSavings {
  /** Representations not sent because an identical one was in the same fetch. */
  duplicateRepresentations?: (subgraph: string, count: number) => void;
  /** Calls that joined an identical one in flight. */
  sharedCall?: (subgraph: string) => void;
}

/**
 * Sends subgraph requests with the router's assertion of the caller's identity and
 * address, never anyone else's, and never the caller's raw token. Identical entity
 * representations in one fetch go out once; identical queries in flight share one call.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  private readonly savings: SubgraphCallSavings;

  /** @param name the subgraph's name: the audience of the assertions it is sent. */
  constructor(
    private readonly name: string,
    options: { url: string; fetcher?: Fetcher; savings?: SubgraphCallSavings },
  ) {
    const savings = options.savings ?? {};
    super({
      url: options.url,
      fetcher: shareIdenticalQueries(options.fetcher ?? subgraphFetcher, () => savings.sharedCall?.(name)),
    });
    this.savings = savings;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const assertion = await (context as Partial<RouterContext>).originAssertion?.(this.name);
    if (assertion) request.http?.headers.set(IDENTITY_HEADER, assertion);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const representations: unknown = request.variables?.['representations'];
    if (!Array.isArray(representations)) return super.process(options);
    const deduped = dedupeRepresentations(representations);
    if (!hasDuplicates(deduped)) return super.process(options);
    this.savings.duplicateRepresentations?.(this.name, representations.length - deduped.unique.length);
    request.variables = { ...request.variables, representations: deduped.unique };
    const response = await super.process(options);
    return fannedOut(response, deduped.positions);
  }
}

/** A response to distinct representations, as the gateway expects it for all it asked. */
function fannedOut(response: GatewayGraphQLResponse, positions: readonly number[]): GatewayGraphQLResponse {
  const entities: unknown = response.data?.['_entities'];
  return {
    ...response,
    ...(response.data && Array.isArray(entities)
      ? { data: { ...response.data, _entities: expandEntities(entities, positions) } }
      : {}),
    ...(response.errors ? { errors: expandEntityErrors(response.errors, positions) } : {}),
  };
}
