// Sharing a flow with someone the way a person does it: an invitation by email, accepted
// by the invited account with the token from its mail.
import { expect } from 'vitest';
import { gql, type TestUser } from '#internal/testkit';
import { mailedToken } from './outbox.js';

export const INVITE_TO_FLOW = /* GraphQL */ `
  mutation ($flowId: ID!, $email: String!, $role: FlowShareRole!) {
    inviteToFlow(flowId: $flowId, email: $email, role: $role) {
      id
      email
      role
    }
  }
`;
export const ACCEPT_FLOW_INVITATION = /* GraphQL */ `
  mutation ($token: String!) {
    acceptFlowInvitation(token: $token) {
      id
    }
  }
`;

/** `owner` invites `friend` to the flow with `role`, and `friend` accepts. */
export async function shareByInvitation(
  url: string,
  owner: TestUser,
  flowId: string,
  friend: TestUser,
  role: 'ADMIN' | 'EDITOR' | 'VIEWER',
): Promise<void> {
  const invited = await gql(url, INVITE_TO_FLOW, { flowId, email: friend.email, role }, owner.token);
  expect(invited.errors).toBeUndefined();
  const token = await mailedToken(friend.email, 'accept-flow-invitation');
  const accepted = await gql(url, ACCEPT_FLOW_INVITATION, { token }, friend.token);
  expect(accepted.errors).toBeUndefined();
}

/** Puts `members` in a new workspace of `owner` as VIEWERs: people `owner` works with, who can be shared with by id. */
export async function coworkers(url: string, owner: TestUser, members: readonly TestUser[]): Promise<string> {
  const created = await gql(url, 'mutation { createWorkspace(input: { name: "Coworkers" }) { id } }', {}, owner.token);
  const workspaceId = created.data?.['createWorkspace'].id as string;
  expect(workspaceId).toBeDefined();
  for (const member of members) {
    const invited = await gql(
      url,
      'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
      { input: { workspaceId, email: member.email, role: 'VIEWER' } },
      owner.token,
    );
    expect(invited.errors).toBeUndefined();
    const joined = await gql(
      url,
      'mutation ($token: String!) { acceptWorkspaceInvitation(token: $token) { id } }',
      { token: await mailedToken(member.email, 'accept-invitation') },
      member.token,
    );
    expect(joined.errors).toBeUndefined();
  }
  return workspaceId;
}
