// One query, loaded through the router: checked first, then measured with autocannon.
import autocannon from 'autocannon';

export interface Load {
  url: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
}

export interface Measured {
  p50: number;
  p99: number;
  reqPerSecond: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and answers with `errors`. */
  failed: number;
}

const bodyOf = ({ query, variables }: Load): string => JSON.stringify({ query, variables });

/**
 * One request, which must be a 200 with data and no `errors`; `check` looks at the data
 * and returns what is wrong with it (null: nothing).
 */
export async function checkAnswer<T>(load: Load, check: (data: T) => string | null): Promise<void> {
  const response = await fetch(load.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${load.token}` },
    body: bodyOf(load),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`status ${response.status}: ${text.slice(0, 500)}`);
  const answer = JSON.parse(text) as { data?: T | null; errors?: unknown[] };
  if (answer.errors || !answer.data) throw new Error(`GraphQL errors: ${text.slice(0, 500)}`);
  const wrong = check(answer.data);
  if (wrong) throw new Error(`${wrong}: ${text.slice(0, 500)}`);
}

/** `seconds` of `connections` concurrent requests; or, with `amount`, that many requests. */
export async function measure(
  load: Load,
  options: { connections: number; seconds?: number; amount?: number },
): Promise<Measured> {
  const result = await autocannon({
    url: load.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${load.token}` },
    body: bodyOf(load),
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
    // A GraphQL error comes back with status 200: count any as a mismatch.
    verifyBody: (body) => !String(body).includes('"errors"'),
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    reqPerSecond: result.requests.average,
    requests: result.requests.total,
    failed: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}
