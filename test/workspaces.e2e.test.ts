// Workspaces through the router: invitations by mail, roles, and what each role may do
// with the workspace's flows and knowledge in the other subgraphs.
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, errorCodes, gql, logIn, signUp, wsClient, type TestUser } from '#internal/testkit';
import { mailedToken } from './setup/outbox.js';

const url = inject('routerUrl');
/** How long other subgraphs may keep a membership answer (WorkspaceMemberships' TTL), plus a margin. */
const MEMBERSHIP_TTL_MS = 2_500;
/** How often the router re-checks, while events flow, that a flowEvents subscriber may still see the flow. */
const SUBSCRIPTION_RECHECK_MS = 5_000;

const CREATE = /* GraphQL */ `
  mutation ($name: String!) {
    createWorkspace(input: { name: $name }) {
      id
      name
      myRole
    }
  }
`;
const INVITE = /* GraphQL */ `
  mutation ($input: InviteToWorkspaceInput!) {
    inviteToWorkspace(input: $input) {
      id
      email
      role
    }
  }
`;
const ACCEPT = /* GraphQL */ `
  mutation ($token: String!) {
    acceptWorkspaceInvitation(token: $token) {
      id
      myRole
    }
  }
`;
const WORKSPACE = /* GraphQL */ `
  query ($id: ID!) {
    workspace(id: $id) {
      id
      name
      myRole
      members {
        user {
          id
        }
        role
      }
    }
  }
`;
const CHANGE_ROLE = /* GraphQL */ `
  mutation ($workspaceId: ID!, $userId: ID!, $role: WorkspaceRole!) {
    changeWorkspaceRole(workspaceId: $workspaceId, userId: $userId, role: $role) {
      role
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation ($workspaceId: ID!, $userId: ID!) {
    removeWorkspaceMember(workspaceId: $workspaceId, userId: $userId)
  }
`;
const TRANSFER = /* GraphQL */ `
  mutation ($workspaceId: ID!, $userId: ID!) {
    transferWorkspaceOwnership(workspaceId: $workspaceId, userId: $userId) {
      myRole
    }
  }
`;
const AUDIT = /* GraphQL */ `
  query ($id: ID!, $first: Int, $after: String) {
    workspace(id: $id) {
      auditLog(first: $first, after: $after) {
        edges {
          node {
            type
            actor {
              id
            }
            subject {
              id
            }
            details
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
const CREATE_FLOW = /* GraphQL */ `
  mutation ($input: CreateFlowInput!) {
    createFlow(input: $input) {
      id
      workspace {
        id
        name
      }
    }
  }
`;
const FLOW = /* GraphQL */ `
  query ($id: ID!) {
    flow(id: $id) {
      id
    }
  }
`;
const FLOWS = /* GraphQL */ `
  query ($workspaceId: ID) {
    flows(first: 50, workspaceId: $workspaceId) {
      edges {
        node {
          id
        }
      }
    }
  }
`;
const ADD_NODE = /* GraphQL */ `
  mutation ($flowId: ID!, $id: ID!) {
    applyFlowOps(flowId: $flowId, ops: [{ kind: ADD_NODE, node: { id: $id, type: "screen", label: "S" } }]) {
      version
    }
  }
`;
const ADD_KNOWLEDGE = /* GraphQL */ `
  mutation ($input: AddKnowledgeInput!) {
    addKnowledge(input: $input) {
      id
    }
  }
`;
const KNOWLEDGE = /* GraphQL */ `
  query ($workspaceId: ID) {
    knowledgeDocuments(workspaceId: $workspaceId) {
      edges {
        node {
          id
        }
      }
    }
  }
`;

type Role = 'ADMIN' | 'EDITOR' | 'VIEWER';

async function invite(by: TestUser, workspaceId: string, who: TestUser, role: Role): Promise<string> {
  const invited = await gql(url, INVITE, { input: { workspaceId, email: who.email, role } }, by.token);
  expect(invited.errors).toBeUndefined();
  return mailedToken(who.email, 'accept-invitation');
}

async function join(by: TestUser, workspaceId: string, who: TestUser, role: Role): Promise<void> {
  const token = await invite(by, workspaceId, who, role);
  const accepted = await gql(url, ACCEPT, { token }, who.token);
  expect(accepted.data?.['acceptWorkspaceInvitation']).toEqual({ id: workspaceId, myRole: role });
}

/** Signs up one user per name, in parallel. */
async function signUpAll<N extends string>(...names: N[]): Promise<Record<N, TestUser>> {
  const users = await Promise.all(names.map((name) => signUp(url, name)));
  return Object.fromEntries(names.map((name, i) => [name, users[i]])) as Record<N, TestUser>;
}

async function newWorkspace(owner: TestUser, name = 'Design team'): Promise<string> {
  const created = await gql(url, CREATE, { name }, owner.token);
  expect(created.data?.['createWorkspace']).toMatchObject({ name, myRole: 'OWNER' });
  return created.data?.['createWorkspace'].id as string;
}

describe('workspaces', () => {
  let owner: TestUser;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let workspaceId: string;

  beforeAll(async () => {
    ({
      Owner: owner,
      Admin: admin,
      Editor: editor,
      Viewer: viewer,
      Outsider: outsider,
    } = await signUpAll('Owner', 'Admin', 'Editor', 'Viewer', 'Outsider'));
    workspaceId = await newWorkspace(owner);
    await join(owner, workspaceId, admin, 'ADMIN');
    await join(admin, workspaceId, editor, 'EDITOR');
    await join(admin, workspaceId, viewer, 'VIEWER');
  });

  it('lists members with their roles, to members only', async () => {
    const seen = await gql(url, WORKSPACE, { id: workspaceId }, viewer.token);
    expect(seen.data?.['workspace'].myRole).toBe('VIEWER');
    const roles = Object.fromEntries(
      (seen.data?.['workspace'].members as { user: { id: string }; role: string }[]).map((m) => [m.user.id, m.role]),
    );
    expect(roles).toEqual({ [owner.id]: 'OWNER', [admin.id]: 'ADMIN', [editor.id]: 'EDITOR', [viewer.id]: 'VIEWER' });
    expect((await gql(url, WORKSPACE, { id: workspaceId }, outsider.token)).data?.['workspace']).toBeNull();
    expect((await gql(url, WORKSPACE, { id: workspaceId })).data?.['workspace']).toBeNull();
  });

  it('takes an invitation once, and only from the invited address', async () => {
    const invitee = await signUp(url, 'Invitee');
    const token = await invite(admin, workspaceId, invitee, 'VIEWER');
    expect(errorCodes(await gql(url, ACCEPT, { token }, outsider.token))).toEqual(['FORBIDDEN']);
    expect((await gql(url, ACCEPT, { token }, invitee.token)).data?.['acceptWorkspaceInvitation'].myRole).toBe(
      'VIEWER',
    );
    expect(errorCodes(await gql(url, ACCEPT, { token }, invitee.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, ACCEPT, { token: 'x'.repeat(43) }, invitee.token))).toEqual(['BAD_USER_INPUT']);
  });

  it('lets admins invite only below their own role, and nobody below ADMIN invite at all', async () => {
    const someone = { workspaceId, email: 'someone@example.com' };
    expect(errorCodes(await gql(url, INVITE, { input: { ...someone, role: 'ADMIN' } }, admin.token))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await gql(url, INVITE, { input: { ...someone, role: 'OWNER' } }, owner.token))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await gql(url, INVITE, { input: { ...someone, role: 'VIEWER' } }, editor.token))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await gql(url, INVITE, { input: { ...someone, role: 'VIEWER' } }, outsider.token))).toEqual([
      'NOT_FOUND',
    ]);
    expect(
      errorCodes(await gql(url, INVITE, { input: { ...someone, email: 'not-an-email', role: 'VIEWER' } }, admin.token)),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await gql(url, INVITE, { input: { workspaceId, email: editor.email, role: 'VIEWER' } }, admin.token)),
    ).toEqual(['CONFLICT']);
  });

  it('gives the workspace flows to its members by role, and nothing to others', async () => {
    const created = await gql(url, CREATE_FLOW, { input: { name: 'Checkout', workspaceId } }, editor.token);
    expect(created.data?.['createFlow'].workspace).toEqual({ id: workspaceId, name: 'Design team' });
    const flowId = created.data?.['createFlow'].id as string;

    expect(errorCodes(await gql(url, CREATE_FLOW, { input: { name: 'No', workspaceId } }, viewer.token))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await gql(url, CREATE_FLOW, { input: { name: 'No', workspaceId } }, outsider.token))).toEqual([
      'NOT_FOUND',
    ]);

    expect((await gql(url, FLOW, { id: flowId }, viewer.token)).data?.['flow']).toEqual({ id: flowId });
    const listed = await gql(url, FLOWS, { workspaceId }, viewer.token);
    expect(listed.data?.['flows'].edges.map((e: { node: { id: string } }) => e.node.id)).toContain(flowId);
    expect((await gql(url, FLOW, { id: flowId }, outsider.token)).data?.['flow']).toBeNull();
    expect((await gql(url, FLOWS, { workspaceId }, outsider.token)).data?.['flows'].edges).toEqual([]);

    expect((await gql(url, ADD_NODE, { flowId, id: 'a' }, editor.token)).data?.['applyFlowOps'].version).toBe(1);
    expect(errorCodes(await gql(url, ADD_NODE, { flowId, id: 'b' }, viewer.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(url, ADD_NODE, { flowId, id: 'b' }, outsider.token))).toEqual(['NOT_FOUND']);
    expect((await gql(url, FLOW, { id: flowId }, owner.token)).data?.['flow']).toEqual({ id: flowId });
  });

  it('gives the workspace knowledge to its members, EDITOR and up adding', async () => {
    const added = await gql(
      url,
      ADD_KNOWLEDGE,
      { input: { title: 'Brand guide', content: 'Use the blue.', workspaceId } },
      editor.token,
    );
    const docId = added.data?.['addKnowledge'].id as string;
    expect(docId).toBeTruthy();
    const input = { title: 'No', content: 'No', workspaceId };
    expect(errorCodes(await gql(url, ADD_KNOWLEDGE, { input }, viewer.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(url, ADD_KNOWLEDGE, { input }, outsider.token))).toEqual(['NOT_FOUND']);
    const ids = (token: string) =>
      gql(url, KNOWLEDGE, { workspaceId }, token).then((r) =>
        (r.data?.['knowledgeDocuments'].edges as { node: { id: string } }[]).map((e) => e.node.id),
      );
    expect(await ids(viewer.token)).toContain(docId);
    expect(await ids(outsider.token)).toEqual([]);
  });

  it('lets admins change and remove weaker roles only, the owner everyone', async () => {
    const ws = await newWorkspace(owner, 'Roles');
    const { a, b, c } = await signUpAll('a', 'b', 'c');
    await join(owner, ws, a, 'ADMIN');
    await join(owner, ws, b, 'ADMIN');
    await join(a, ws, c, 'VIEWER');
    const change = (by: TestUser, who: TestUser, role: string) =>
      gql(url, CHANGE_ROLE, { workspaceId: ws, userId: who.id, role }, by.token);
    expect((await change(a, c, 'EDITOR')).data?.['changeWorkspaceRole'].role).toBe('EDITOR');
    expect(errorCodes(await change(a, c, 'ADMIN'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change(a, b, 'VIEWER'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change(c, a, 'VIEWER'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change(a, owner, 'VIEWER'))).toEqual(['BAD_USER_INPUT']);
    expect((await change(owner, b, 'VIEWER')).data?.['changeWorkspaceRole'].role).toBe('VIEWER');

    const remove = (by: TestUser, who: TestUser) => gql(url, REMOVE, { workspaceId: ws, userId: who.id }, by.token);
    expect(errorCodes(await remove(b, c))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await remove(a, owner))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await remove(outsider, c))).toEqual(['NOT_FOUND']);
    expect((await remove(a, c)).data?.['removeWorkspaceMember']).toBe(true);
    expect((await remove(b, b)).data?.['removeWorkspaceMember']).toBe(true); // leaving
    expect((await gql(url, WORKSPACE, { id: ws }, c.token)).data?.['workspace']).toBeNull();
  });

  it('transfers ownership to a member, keeping the old owner as ADMIN', async () => {
    const ws = await newWorkspace(owner, 'Transfer');
    const next = await signUp(url, 'Next owner');
    await join(owner, ws, next, 'EDITOR');
    expect(errorCodes(await gql(url, TRANSFER, { workspaceId: ws, userId: outsider.id }, owner.token))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await gql(url, TRANSFER, { workspaceId: ws, userId: owner.id }, next.token))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await gql(url, TRANSFER, { workspaceId: ws, userId: next.id }, owner.token)).data).toEqual({
      transferWorkspaceOwnership: { myRole: 'ADMIN' },
    });
    expect((await gql(url, WORKSPACE, { id: ws }, next.token)).data?.['workspace'].myRole).toBe('OWNER');
    expect(
      errorCodes(await gql(url, REMOVE, { workspaceId: ws, userId: next.id }, next.token)),
      'the owner cannot leave',
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps an audit log for admins, paginated', async () => {
    const ws = await newWorkspace(owner, 'Audited');
    const member = await signUp(url, 'Member');
    await join(owner, ws, member, 'VIEWER');
    await gql(url, CHANGE_ROLE, { workspaceId: ws, userId: member.id, role: 'EDITOR' }, owner.token);
    await logIn(url, { email: member.email, password: 'wrong password' });
    await gql(url, REMOVE, { workspaceId: ws, userId: member.id }, owner.token);

    const types: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result = await gql(url, AUDIT, { id: ws, first: 2, after }, owner.token);
      const log = result.data?.['workspace'].auditLog as {
        edges: { node: { type: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      types.push(...log.edges.map((e) => e.node.type));
      if (!log.pageInfo.hasNextPage) break;
      after = log.pageInfo.endCursor;
    }
    // Newest first. The member's failed log-in is an account event: shown only while they are a member.
    expect(types).toEqual(['MEMBER_REMOVED', 'ROLE_CHANGED', 'MEMBER_JOINED', 'MEMBER_INVITED', 'WORKSPACE_CREATED']);

    const roleChange = await gql(url, AUDIT, { id: ws, first: 10 }, owner.token);
    const event = (roleChange.data?.['workspace'].auditLog.edges as { node: Record<string, any> }[]).find(
      (e) => e.node['type'] === 'ROLE_CHANGED',
    )?.node;
    expect(event).toMatchObject({
      actor: { id: owner.id },
      subject: { id: member.id },
      details: { from: 'VIEWER', to: 'EDITOR' },
    });

    // Below ADMIN the log is refused at its path; the rest of the workspace still reads.
    await join(owner, ws, member, 'EDITOR');
    const refused = await gql(url, AUDIT, { id: ws }, member.token);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.path).toEqual(['workspace', 'auditLog']);
  });

  it("keeps the user's own security events", async () => {
    const user = await signUp(url, 'Audited user');
    await logIn(url, { email: user.email, password: 'wrong password' });
    await logIn(url, { email: user.email, password: 'correct horse battery' });
    const log = await gql(url, '{ myAuditLog(first: 10) { edges { node { type ip } } } }', {}, user.token);
    const types = (log.data?.['myAuditLog'].edges as { node: { type: string } }[]).map((e) => e.node.type);
    expect(types.slice(0, 2)).toEqual(['LOGIN_SUCCEEDED', 'LOGIN_FAILED']);
    expect(errorCodes(await gql(url, '{ myAuditLog { edges { cursor } } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('cuts a removed member off everywhere, live subscriptions included', async () => {
    const ws = await newWorkspace(owner, 'Revocation');
    const member = await signUp(url, 'Leaving member');
    await join(owner, ws, member, 'VIEWER');
    const flowId = (await gql(url, CREATE_FLOW, { input: { name: 'Live', workspaceId: ws } }, owner.token)).data?.[
      'createFlow'
    ].id as string;

    const client = wsClient(url, member.token);
    const received: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }[] = [];
    const ended = deferred<void>();
    client.subscribe(
      { query: 'subscription ($flowId: ID!) { flowEvents(flowId: $flowId) { version } }', variables: { flowId } },
      {
        next: (message) => received.push(message as (typeof received)[number]),
        error: (error) => ended.reject(error),
        complete: () => ended.resolve(),
      },
    );
    // The subscription is live once an event arrives: keep changing the flow until one does.
    for (let i = 0; received.length === 0 && i < 40; i += 1) {
      await gql(url, ADD_NODE, { flowId, id: `before-${i}` }, owner.token);
      await sleep(250);
    }
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((message) => message.errors === undefined)).toBe(true);

    await gql(url, REMOVE, { workspaceId: ws, userId: member.id }, owner.token);
    await sleep(SUBSCRIPTION_RECHECK_MS + MEMBERSHIP_TTL_MS);
    const delivered = received.length;
    expect((await gql(url, FLOW, { id: flowId }, member.token)).data?.['flow']).toBeNull();
    await gql(url, ADD_NODE, { flowId, id: 'after' }, owner.token);
    await ended.promise;
    await client.dispose();
    // The next event is not delivered: an error in its place, then the end of the subscription.
    expect(received.slice(delivered).map((message) => errorCodes(message))).toEqual([['NOT_FOUND']]);
  });

  it('does not let someone who owns a workspace delete their account', async () => {
    const user = await signUp(url, 'Owner leaving');
    await newWorkspace(user, 'Kept');
    const deleted = await gql(
      url,
      'mutation ($p: String!) { deleteAccount(password: $p) }',
      { p: 'correct horse battery' },
      user.token,
    );
    expect(errorCodes(deleted)).toEqual(['CONFLICT']);
    expect((await gql(url, '{ me { id } }', {}, user.token)).data?.['me']).toEqual({ id: user.id });
  });
});
