import type { Fetcher, FetcherResponse } from '../http/subgraphFetcher.js';
import { SharedInFlight } from './sharedInFlight.js';

type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;

/**
 * The gateway serializes `{ query, … }` with the operation text first, so the body tells a
 * query (`query …` or the `{ … }` shorthand) from anything else. Whatever does not
 * plainly read as a query (mutations, documents starting with a fragment) is never shared.
 */
const QUERY_BODY = /^\{"query":"(?:query\b|\{)/;

/** Whether a subgraph call may join an identical one in flight: queries only. */
export const isShareable = (init: FetcherRequestInit): boolean =>
  (init.method ?? 'GET') === 'POST' && typeof init.body === 'string' && QUERY_BODY.test(init.body);

/**
 * The whole wire request: URL, every header and the body. The identity assertion is a
 * header, so two callers share a call only when the router asserted the same identity
 * (and address) for both.
 */
export const wireKey = (url: string, init: FetcherRequestInit): string =>
  JSON.stringify([url, init.method ?? 'GET', Object.entries(init.headers ?? {}).sort(), init.body ?? null]);

/**
 * Identical subgraph queries in flight at the same time share one HTTP call. Each caller
 * gets its own copy of the response (the gateway mutates what it parses).
 */
export function shareIdenticalQueries(fetcher: Fetcher, onShared: () => void = () => undefined): Fetcher {
  const inFlight = new SharedInFlight<FetcherResponse>();
  return async (url, init = {}) => {
    if (!isShareable(init)) return fetcher(url, init);
    const { result, shared } = inFlight.run(wireKey(url, init), () => fetcher(url, init));
    if (shared) onShared();
    return (await result).clone();
  };
}
