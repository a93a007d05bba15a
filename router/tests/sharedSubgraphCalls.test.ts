// The data source against a fake subgraph: what goes on the wire when the gateway sends
// duplicate representations, and which identical calls in flight share one HTTP call.
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Headers } from 'undici';
import { describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '#internal/auth';
import type { RouterContext } from '../src/context.js';
import { SubgraphDataSource } from '../src/dataSource.js';
import type { Fetcher, FetcherResponse } from '../src/http/subgraphFetcher.js';

interface Sent {
  headers: Record<string, string>;
  body: { query: string; variables?: { representations?: unknown[] } };
}

/** A subgraph that answers only when the test says so, recording every call. */
function fakeSubgraph(answer: (body: Sent['body']) => unknown) {
  const sent: Sent[] = [];
  const waiting: (() => void)[] = [];
  const fetcher: Fetcher = async (url, init = {}) => {
    const body = JSON.parse(String(init.body)) as Sent['body'];
    sent.push({ headers: init.headers ?? {}, body });
    await new Promise<void>((resolve) => waiting.push(resolve));
    const text = JSON.stringify(answer(body));
    const response: FetcherResponse = {
      ok: true,
      status: 200,
      statusText: 'OK',
      url,
      redirected: false,
      bodyUsed: false,
      headers: new Headers({ 'content-type': 'application/json' }),
      text: () => Promise.resolve(text),
      json: () => Promise.resolve(JSON.parse(text) as unknown),
      arrayBuffer: () => Promise.resolve(new TextEncoder().encode(text).buffer),
      clone: () => response,
    };
    return response;
  };
  const release = (): void => waiting.splice(0).forEach((resolve) => resolve());
  return { fetcher, sent, release };
}

const contextFor = (caller: string): RouterContext =>
  ({ originAssertion: (audience: string) => Promise.resolve(`${caller}@${audience}`) }) as unknown as RouterContext;

const call = (source: SubgraphDataSource, caller: string, query: string, variables?: Record<string, unknown>) =>
  source.process({
    kind: 'incoming operation',
    request: { query, ...(variables ? { variables } : {}) },
    context: contextFor(caller),
    incomingRequestContext: {},
  } as unknown as GraphQLDataSourceProcessOptions<RouterContext>);

const ENTITIES =
  'query Page__users__1($representations:[_Any!]!){_entities(representations:$representations){...on User{name}}}';
const ME = 'query Page__users__0{me{id}}';

describe('SubgraphDataSource', () => {
  it('sends duplicate representations once and answers every one of them, in order', async () => {
    const subgraph = fakeSubgraph((body) => ({
      data: {
        _entities: (body.variables?.representations as { id: string }[]).map(({ id }) =>
          id === 'gone' ? null : { name: `name of ${id}` },
        ),
      },
      errors: [{ message: 'no such user', path: ['_entities', 1] }],
    }));
    const source = new SubgraphDataSource('users', { url: 'http://users', fetcher: subgraph.fetcher });
    const representations = ['u1', 'gone', 'u1', 'u2', 'gone'].map((id) => ({ __typename: 'User', id }));
    const answer = call(source, 'ada', ENTITIES, { representations });
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    const response = await answer;
    expect(subgraph.sent).toHaveLength(1);
    expect(subgraph.sent[0]?.body.variables?.representations).toEqual(
      ['u1', 'gone', 'u2'].map((id) => ({ __typename: 'User', id })),
    );
    expect(response.data?.['_entities']).toEqual([
      { name: 'name of u1' },
      null,
      { name: 'name of u1' },
      { name: 'name of u2' },
      null,
    ]);
    expect(response.errors?.map((error) => error.path)).toEqual([
      ['_entities', 1],
      ['_entities', 4],
    ]);
  });

  it('shares one call between identical queries in flight for the same caller', async () => {
    const subgraph = fakeSubgraph(() => ({ data: { me: { id: 'u1' } } }));
    const source = new SubgraphDataSource('users', { url: 'http://users', fetcher: subgraph.fetcher });
    const answers = [call(source, 'ada', ME), call(source, 'ada', ME), call(source, 'ada', ME)];
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    const responses = await Promise.all(answers);
    expect(subgraph.sent).toHaveLength(1);
    expect(subgraph.sent[0]?.headers[IDENTITY_HEADER]).toBe('ada@users');
    expect(responses.map((response) => response.data)).toEqual([1, 2, 3].map(() => ({ me: { id: 'u1' } })));
    // Each caller gets its own objects: the gateway merges into what it receives.
    expect(responses[0]?.data).not.toBe(responses[1]?.data);
  });

  it('never shares a call between two callers', async () => {
    const subgraph = fakeSubgraph(() => ({ data: { me: { id: 'someone' } } }));
    const source = new SubgraphDataSource('users', { url: 'http://users', fetcher: subgraph.fetcher });
    const answers = [call(source, 'ada', ME), call(source, 'bob', ME)];
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    await Promise.all(answers);
    expect(subgraph.sent.map((sent) => sent.headers[IDENTITY_HEADER])).toEqual(['ada@users', 'bob@users']);
  });

  it('never shares mutations, nor calls that are not in flight at the same time', async () => {
    const subgraph = fakeSubgraph(() => ({ data: { renameMe: true } }));
    const source = new SubgraphDataSource('users', { url: 'http://users', fetcher: subgraph.fetcher });
    const mutation = 'mutation Rename__users__0{renameMe(name:"Ada")}';
    const answers = [call(source, 'ada', mutation), call(source, 'ada', mutation)];
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    await Promise.all(answers);
    expect(subgraph.sent).toHaveLength(2);

    const first = call(source, 'ada', ME);
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    await first;
    const second = call(source, 'ada', ME);
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    await second;
    expect(subgraph.sent).toHaveLength(4);
  });
});
