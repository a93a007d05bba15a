// What the router sends the users subgraph, seen by a recording proxy in front of it: a
// page of flows asks for the same owner and workspace once, and identical queries in
// flight for the same caller share one call (never across callers, never mutations).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gql, signUp, type GraphQLResponse, type TestUser } from '#internal/testkit';
import { FLOWS_PAGE_QUERY, seedWorkspaceFlows } from '#internal/testkit';
import { subgraphUrlVar } from '../stack/subgraphs.js';
import { startPrivateRouter } from './setup/privateStack.js';
import { startRecordingProxy, type RecordedCall } from './setup/recordingProxy.js';

const suiteRouter = inject('routerUrl');
const PAGE = 20;
/** Long enough that requests sent together are in flight together at the users subgraph. */
const HOLD_MS = 300;

let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let router: Awaited<ReturnType<typeof startPrivateRouter>>;
let owner: TestUser;
let workspaceId: string;

beforeAll(async () => {
  proxy = await startRecordingProxy(inject('subgraphUrls')['users'] ?? '', HOLD_MS);
  router = await startPrivateRouter({ [subgraphUrlVar('users')]: proxy.url });
  owner = await signUp(suiteRouter, 'Page Owner');
  workspaceId = await seedWorkspaceFlows(suiteRouter, owner.token, PAGE);
});
afterAll(async () => {
  await router?.stop();
  await proxy?.close();
});

/** The calls `run` made the router send to users, leaving out its own session checks. */
async function callsDuring(run: () => Promise<unknown>): Promise<RecordedCall[]> {
  const before = proxy.calls.length;
  await run();
  return proxy.calls.slice(before).filter(({ body }) => !/\bliveSessions\b|_service\b/.test(body.query));
}

const representationsOf = (calls: RecordedCall[], typename: string): unknown[] =>
  calls.flatMap(({ body }) =>
    ((body.variables?.['representations'] as { __typename: string }[] | undefined) ?? []).filter(
      (representation) => representation.__typename === typename,
    ),
  );

describe('request economy through the router', () => {
  it('asks users for the page owner and its workspace once each', async () => {
    let answer: GraphQLResponse | undefined;
    const calls = await callsDuring(async () => {
      answer = await gql(router.routerUrl, FLOWS_PAGE_QUERY, { workspaceId, first: PAGE }, owner.token);
    });
    expect(answer?.errors).toBeUndefined();
    const edges = (
      answer?.data?.['flows'] as { edges: { node: { owner: { id: string }; workspace: { id: string } } }[] }
    ).edges;
    expect(edges).toHaveLength(PAGE);
    expect(edges.every(({ node }) => node.owner.id === owner.id && node.workspace.id === workspaceId)).toBe(true);
    expect(representationsOf(calls, 'User')).toEqual([{ __typename: 'User', id: owner.id }]);
    expect(representationsOf(calls, 'Workspace')).toEqual([{ __typename: 'Workspace', id: workspaceId }]);
    // The same answer as the suite's router, which talks to users directly.
    expect(answer).toEqual(await gql(suiteRouter, FLOWS_PAGE_QUERY, { workspaceId, first: PAGE }, owner.token));
  });

  it('shares one users call between identical queries of the same caller in flight together', async () => {
    const me = '{ me { id name } }';
    // Once alone first: the caller's session check is then a cache hit, so the five below
    // reach the users call together instead of one by one behind it.
    await gql(router.routerUrl, me, {}, owner.token);
    const calls = await callsDuring(() =>
      Promise.all(Array.from({ length: 5 }, () => gql(router.routerUrl, me, {}, owner.token))),
    );
    expect(calls.filter(({ body }) => body.query.includes('me{'))).toHaveLength(1);
  });

  it('never shares a call between two callers', async () => {
    const other = await signUp(suiteRouter, 'Someone Else');
    const me = '{ me { id } }';
    let answers: GraphQLResponse[] = [];
    const calls = await callsDuring(async () => {
      answers = await Promise.all([
        gql(router.routerUrl, me, {}, owner.token),
        gql(router.routerUrl, me, {}, other.token),
      ]);
    });
    expect(answers.map((answer) => answer.data?.['me'])).toEqual([{ id: owner.id }, { id: other.id }]);
    const meCalls = calls.filter(({ body }) => body.query.includes('me{'));
    expect(meCalls).toHaveLength(2);
    expect(new Set(meCalls.map(({ identity }) => identity)).size).toBe(2);
  });

  it('never shares mutations, even identical ones of the same caller', async () => {
    const create = /* GraphQL */ `
      mutation {
        createWorkspace(input: { name: "Twice" }) {
          id
        }
      }
    `;
    let answers: GraphQLResponse[] = [];
    const calls = await callsDuring(async () => {
      answers = await Promise.all([
        gql(router.routerUrl, create, {}, owner.token),
        gql(router.routerUrl, create, {}, owner.token),
      ]);
    });
    expect(calls.filter(({ body }) => body.query.startsWith('mutation'))).toHaveLength(2);
    const ids = answers.map((answer) => (answer.data?.['createWorkspace'] as { id: string }).id);
    expect(new Set(ids).size).toBe(2);
  });
});
