// Sharing one flow beyond its workspace (collaborators, read-only links), presence, and
// what a page of flows costs the database.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, errorCodes, gql, signUp, wsClient, type TestUser } from '#internal/testkit';
import { ACCEPT_FLOW_INVITATION, coworkers, INVITE_TO_FLOW, shareByInvitation } from './setup/flowSharing.js';
import { mailedToken, mailsTo } from './setup/outbox.js';
import { startPrivateFlows } from './setup/privateStack.js';

const url = inject('routerUrl');

const CREATE_FLOW = /* GraphQL */ `
  mutation ($input: CreateFlowInput!) {
    createFlow(input: $input) {
      id
    }
  }
`;
const FLOW = /* GraphQL */ `
  query ($id: ID!) {
    flow(id: $id) {
      id
      collaborators {
        role
        user {
          id
        }
      }
    }
  }
`;
const SHARE = /* GraphQL */ `
  mutation ($flowId: ID!, $userId: ID!, $role: FlowShareRole!) {
    shareFlow(flowId: $flowId, userId: $userId, role: $role) {
      role
    }
  }
`;
const UNSHARE = /* GraphQL */ `
  mutation ($flowId: ID!, $userId: ID!) {
    unshareFlow(flowId: $flowId, userId: $userId)
  }
`;
const ADD_NODE = /* GraphQL */ `
  mutation ($flowId: ID!, $id: ID!) {
    applyFlowOps(flowId: $flowId, ops: [{ kind: ADD_NODE, node: { id: $id, type: "screen", label: "S" } }]) {
      version
    }
  }
`;
const CREATE_LINK = /* GraphQL */ `
  mutation ($flowId: ID!) {
    createFlowShareLink(flowId: $flowId) {
      token
      link {
        id
      }
    }
  }
`;
const SHARED = /* GraphQL */ `
  query ($token: String!) {
    sharedFlow(token: $token) {
      id
      nodes {
        id
      }
    }
  }
`;
const PRESENCE = /* GraphQL */ `
  mutation ($flowId: ID!, $input: PresenceInput!) {
    updatePresence(flowId: $flowId, input: $input)
  }
`;

async function newFlow(owner: TestUser, input: Record<string, unknown> = {}, via = url): Promise<string> {
  const created = await gql(via, CREATE_FLOW, { input: { name: 'Shared', ...input } }, owner.token);
  expect(created.errors).toBeUndefined();
  return created.data?.['createFlow'].id as string;
}

describe('sharing a flow', () => {
  let owner: TestUser;
  let friend: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    [owner, friend, stranger] = (await Promise.all(['Owner', 'Friend', 'Stranger'].map((n) => signUp(url, n)))) as [
      TestUser,
      TestUser,
      TestUser,
    ];
  });

  it('gives a collaborator the role it was shared with, until it is taken back', async () => {
    const flowId = await newFlow(owner);
    expect((await gql(url, FLOW, { id: flowId }, friend.token)).data?.['flow']).toBeNull();

    await shareByInvitation(url, owner, flowId, friend, 'VIEWER');
    const seen = await gql(url, FLOW, { id: flowId }, friend.token);
    expect(seen.data?.['flow'].collaborators).toEqual([{ role: 'VIEWER', user: { id: friend.id } }]);
    const listed = await gql(url, '{ flows(first: 100) { edges { node { id } } } }', {}, friend.token);
    expect(listed.data?.['flows'].edges.map((e: { node: { id: string } }) => e.node.id)).toContain(flowId);
    expect(errorCodes(await gql(url, ADD_NODE, { flowId, id: 'a' }, friend.token))).toEqual(['FORBIDDEN']);

    // A collaborator's role changes by id.
    await gql(url, SHARE, { flowId, userId: friend.id, role: 'EDITOR' }, owner.token);
    expect((await gql(url, ADD_NODE, { flowId, id: 'a' }, friend.token)).data?.['applyFlowOps'].version).toBe(1);
    expect(
      errorCodes(await gql(url, INVITE_TO_FLOW, { flowId, email: stranger.email, role: 'VIEWER' }, friend.token)),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(url, SHARE, { flowId, userId: friend.id, role: 'VIEWER' }, stranger.token))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await gql(url, SHARE, { flowId, userId: 'nope', role: 'VIEWER' }, owner.token))).toEqual([
      'BAD_USER_INPUT',
    ]);

    expect((await gql(url, UNSHARE, { flowId, userId: friend.id }, owner.token)).data?.['unshareFlow']).toBe(true);
    expect((await gql(url, FLOW, { id: flowId }, friend.token)).data?.['flow']).toBeNull();
    expect(errorCodes(await gql(url, UNSHARE, { flowId, userId: friend.id }, owner.token))).toEqual(['NOT_FOUND']);
  });

  it('shares by id only with people the sharer works with; anyone else is invited by email', async () => {
    const flowId = await newFlow(owner);
    // A stranger's id (seen as an author, say) pushes nothing on them and tells nothing of them.
    const pushed = await gql(url, SHARE, { flowId, userId: stranger.id, role: 'VIEWER' }, owner.token);
    expect(errorCodes(pushed)).toEqual(['BAD_USER_INPUT']);
    expect(pushed.errors?.[0]?.extensions?.['field']).toBe('userId');
    expect(JSON.stringify(pushed)).not.toContain('Stranger');
    expect((await gql(url, FLOW, { id: flowId }, stranger.token)).data?.['flow']).toBeNull();

    // A fellow member of a workspace is shared with directly.
    const mate = await signUp(url, 'Mate');
    await coworkers(url, owner, [mate]);
    expect((await gql(url, SHARE, { flowId, userId: mate.id, role: 'EDITOR' }, owner.token)).data).toEqual({
      shareFlow: { role: 'EDITOR' },
    });

    // An invitation answers the same for a registered and an unknown address, and shares nothing until accepted.
    const known = await gql(url, INVITE_TO_FLOW, { flowId, email: stranger.email, role: 'VIEWER' }, owner.token);
    const unknown = await gql(
      url,
      INVITE_TO_FLOW,
      { flowId, email: `nobody-${Date.now()}@example.com`, role: 'VIEWER' },
      owner.token,
    );
    expect(Object.keys(known.data?.['inviteToFlow'] ?? {})).toEqual(Object.keys(unknown.data?.['inviteToFlow'] ?? {}));
    expect(known.data?.['inviteToFlow']).toMatchObject({ email: stranger.email, role: 'VIEWER' });
    expect((await gql(url, FLOW, { id: flowId }, stranger.token)).data?.['flow']).toBeNull();
    expect(await mailsTo(stranger.email)).toHaveLength(1);

    // The token works only for the invited account, and once.
    const token = await mailedToken(stranger.email, 'accept-flow-invitation');
    expect(errorCodes(await gql(url, ACCEPT_FLOW_INVITATION, { token }, friend.token))).toEqual(['FORBIDDEN']);
    expect((await gql(url, ACCEPT_FLOW_INVITATION, { token }, stranger.token)).data).toEqual({
      acceptFlowInvitation: { id: flowId },
    });
    expect(errorCodes(await gql(url, ACCEPT_FLOW_INVITATION, { token }, stranger.token))).toEqual(['BAD_USER_INPUT']);
    expect((await gql(url, FLOW, { id: flowId }, stranger.token)).data?.['flow'].id).toBe(flowId);
    expect(
      errorCodes(await gql(url, INVITE_TO_FLOW, { flowId, email: 'not an email', role: 'VIEWER' }, owner.token)),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('lets anyone with a link read the flow, and nothing else, until the link is revoked', async () => {
    const flowId = await newFlow(owner);
    await gql(url, ADD_NODE, { flowId, id: 'start' }, owner.token);
    const created = await gql(url, CREATE_LINK, { flowId }, owner.token);
    const { token, link } = created.data?.['createFlowShareLink'] as { token: string; link: { id: string } };

    expect((await gql(url, SHARED, { token })).data?.['sharedFlow']).toEqual({ id: flowId, nodes: [{ id: 'start' }] });
    const sharing = await gql(url, 'query ($token: String!) { sharedFlow(token: $token) { id shareLinks { id } } }', {
      token,
    });
    expect(errorCodes(sharing)).toEqual(['UNAUTHENTICATED']);
    expect(sharing.errors?.[0]?.path).toEqual(['sharedFlow', 'shareLinks']);
    expect(errorCodes(await gql(url, ADD_NODE, { flowId, id: 'x' }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(url, CREATE_LINK, { flowId }, stranger.token))).toEqual(['NOT_FOUND']);
    expect((await gql(url, SHARED, { token: 'x'.repeat(43) })).data?.['sharedFlow']).toBeNull();

    const revoke = 'mutation ($flowId: ID!, $id: ID!) { revokeFlowShareLink(flowId: $flowId, id: $id) }';
    expect((await gql(url, revoke, { flowId, id: link.id }, owner.token)).data?.['revokeFlowShareLink']).toBe(true);
    expect((await gql(url, SHARED, { token })).data?.['sharedFlow']).toBeNull();
  });

  it("shows collaborators each other's cursors, and tells them when one leaves", async () => {
    const flowId = await newFlow(owner);
    await shareByInvitation(url, owner, flowId, friend, 'VIEWER');
    const query = /* GraphQL */ `
      subscription ($flowId: ID!, $clientId: String!) {
        flowPresence(flowId: $flowId, clientId: $clientId) {
          kind
          clientId
          user {
            id
          }
          cursor {
            x
            y
          }
          color
        }
      }
    `;
    const ownerClient = wsClient(url, owner.token);
    const friendClient = wsClient(url, friend.token);
    const seenByOwner: Record<string, any>[] = [];
    const friendGotUpdate = deferred<Record<string, any>>();
    const ownerSawLeave = deferred<void>();
    ownerClient.subscribe(
      { query, variables: { flowId, clientId: 'owner-tab' } },
      {
        next: ({ data }) => {
          seenByOwner.push(data?.['flowPresence'] as Record<string, any>);
          if ((data?.['flowPresence'] as { kind: string }).kind === 'LEFT') ownerSawLeave.resolve();
        },
        error: ownerSawLeave.reject,
        complete: () => undefined,
      },
    );
    const stopFriend = friendClient.subscribe(
      { query, variables: { flowId, clientId: 'friend-tab' } },
      {
        next: ({ data }) => {
          const event = data?.['flowPresence'] as Record<string, any>;
          if (event['clientId'] === 'owner-tab') friendGotUpdate.resolve(event);
        },
        error: friendGotUpdate.reject,
        complete: () => undefined,
      },
    );
    const input = { clientId: 'owner-tab', cursor: { x: 10, y: 20 }, color: '#112233', selection: ['a'] };
    // Subscriptions are live once an update reaches the friend: repeat until one does.
    let received: Record<string, any> | undefined;
    for (let i = 0; !received && i < 40; i += 1) {
      expect((await gql(url, PRESENCE, { flowId, input }, owner.token)).data?.['updatePresence']).toBe(true);
      received = await Promise.race([friendGotUpdate.promise, sleep(250).then(() => undefined)]);
    }
    expect(received).toEqual({
      kind: 'UPDATE',
      clientId: 'owner-tab',
      user: { id: owner.id },
      cursor: { x: 10, y: 20 },
      color: '#112233',
    });

    stopFriend();
    await ownerSawLeave.promise;
    expect(seenByOwner.at(-1)).toMatchObject({ kind: 'LEFT', clientId: 'friend-tab', user: { id: friend.id } });
    await Promise.all([ownerClient.dispose(), friendClient.dispose()]);

    expect(errorCodes(await gql(url, PRESENCE, { flowId, input }, stranger.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(url, PRESENCE, { flowId, input: { ...input, color: 'red' } }, owner.token))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

describe('a page of flows', () => {
  // Its own flows instance and router: other test files' requests must not count.
  let flowsUrl: string;
  let privateUrl: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ flowsUrl, routerUrl: privateUrl, stop } = await startPrivateFlows());
  });
  afterAll(() => stop());

  /** The private flows subgraph's count of database commands so far, by command. */
  async function commandsSoFar(): Promise<Record<string, number>> {
    const text = await (await fetch(new URL('/metrics', flowsUrl))).text();
    return Object.fromEntries(
      [...text.matchAll(/^mongodb_commands_total\{[^}]*\bcommand="(\w+)"[^}]*\} (\d+)/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
  }
  const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

  it('costs a bounded number of database commands, however many flows, owners and collaborators', async () => {
    const [owner, a, b] = (await Promise.all(['Owner', 'A', 'B'].map((n) => signUp(privateUrl, n)))) as [
      TestUser,
      TestUser,
      TestUser,
    ];
    await coworkers(privateUrl, owner, [a, b]);
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(await newFlow(owner, { name: `Flow ${i}` }, privateUrl));
    await Promise.all(
      ids.flatMap((flowId) => [
        gql(privateUrl, SHARE, { flowId, userId: a.id, role: 'VIEWER' }, owner.token),
        gql(privateUrl, SHARE, { flowId, userId: b.id, role: 'EDITOR' }, owner.token),
      ]),
    );
    const page = /* GraphQL */ `
      {
        flows(first: 50) {
          edges {
            node {
              id
              name
              version
              owner {
                name
              }
              collaborators {
                role
                user {
                  name
                }
              }
            }
          }
        }
      }
    `;
    await gql(privateUrl, page, {}, owner.token); // warm-up: the membership cache, connections
    const before = await commandsSoFar();
    const result = await gql(privateUrl, page, {}, owner.token);
    const after = await commandsSoFar();
    const used = total(after) - total(before);
    const byCommand = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
    expect(result.errors).toBeUndefined();
    const edges = result.data?.['flows'].edges as { node: { collaborators: unknown[]; owner: { name: string } } }[];
    expect(edges).toHaveLength(50);
    expect(edges.every((e) => e.node.collaborators.length === 2 && e.node.owner.name === 'Owner')).toBe(true);
    // A handful of batched finds (the page, the flows shared with the caller, the page's
    // flows and the caller's roles for the field rules, the page's collaborators) whatever
    // the page size: 6 measured for 50 flows with 100 collaborators, not one per flow.
    expect(used, 'the metric counts this request').toBeGreaterThan(0);
    expect(used, JSON.stringify(byCommand)).toBeLessThanOrEqual(6);
  });
});
