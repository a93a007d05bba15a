// The matrix's world: workspace W with an OWNER, ADMIN, EDITOR and VIEWER who joined by
// real invitations, a flow with nodes and an edge and a knowledge document in W, and an
// OTHER user who is ADMIN of another workspace only. Plus makers of spare things that a
// mutation may consume, so that every role's call has its own target.
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { generate as totp } from 'otplib';
import { generate as selfSigned } from 'selfsigned';
import { gql, uniqueEmail, type GraphQLResponse, type TestUser } from '#internal/testkit';
import { mailedToken, mailsTo, waitForMails } from '../setup/outbox.js';
import { idpMetadataXml } from '../setup/samlIdp.js';

/** The matrix's columns. */
export const ROLES = ['anonymous', 'viewer', 'editor', 'admin', 'other'] as const;
export type Role = (typeof ROLES)[number];
export type SignedInRole = Exclude<Role, 'anonymous'>;
export type WorkspaceRole = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';

/** `signUp`'s password, for every user here. */
export const PASSWORD = 'correct horse battery';

export interface Session {
  id: string;
  accessToken: string;
  refreshToken: string;
}

export interface TwoFactorUser {
  user: TestUser;
  secret: string;
  /** Set once two-factor is confirmed. */
  recoveryCodes: string[];
}

export interface World {
  url: string;
  owner: TestUser;
  /** The caller of each signed-in column. */
  users: Record<SignedInRole, TestUser>;
  workspaceId: string;
  workspaceName: string;
  /** Where `other` is ADMIN (its owner is `otherOwner`). */
  otherWorkspaceId: string;
  otherOwner: TestUser;
  flowId: string;
  /** W's flow's version once set up; the one before it differs from it in every way. */
  flowVersion: number;
  documentId: string;
  /** A PEM certificate for `configureWorkspaceSaml`; W has SAML configured when the schema has it. */
  samlCertificate: string;
  /** The token of a read-only link to W's flow (sharing), when the schema has it. */
  shareToken: string;
  tokenOf: (role: Role) => string | undefined;
  /** A new user with `role`'s place: a member of W with that role, or ADMIN of the other workspace. */
  freshRoleUser: (role: SignedInRole) => Promise<TestUser>;
  /** A new VIEWER of W, for a mutation to remove or re-role. */
  spareMember: () => Promise<TestUser>;
  /**
   * A VIEWER of W made once, for calls that leave it as they find it when repeated
   * (re-roling it to EDITOR) or must not succeed at all (ownership transfers).
   */
  sharedMember: () => Promise<TestUser>;
  /** The id of a new open invitation to W. */
  openInvitation: () => Promise<string>;
  /**
   * The token of an invitation mailed to `email`, to a new workspace of `owner` (the roles
   * are members of W already); for ADMIN it has another invitation open, for them to read.
   */
  spareInvitation: (email: string, role: WorkspaceRole) => Promise<string>;
  /** A new session of `user`, by `logIn`. */
  newSession: (user: TestUser) => Promise<Session>;
  /** `user` on a new session of their own: to sign out, or to end, without ending the role's. */
  sessionAs: (user: TestUser) => Promise<TestUser>;
  /** A fresh user of `role`, two-factor enrolled (and confirmed, with `confirmed`). */
  twoFactorUser: (role: SignedInRole, confirmed: boolean) => Promise<TwoFactorUser>;
  /** A current TOTP code for `secret`. */
  totp: (secret: string) => Promise<string>;
  /** A new user W's flow is shared with (VIEWER), for a call to unshare. */
  newCollaborator: () => Promise<TestUser>;
  /** The id of a new invitation to W's flow (to a new address), for a call to revoke. */
  newFlowInvitation: () => Promise<string>;
  /** The token of a new invitation for `email` to a spare flow of W (W's own stays as it is), for a call to accept. */
  flowInvitationFor: (email: string) => Promise<string>;
  /** A new flow in W made by the owner (so ADMIN, or its creator, may delete it), in the trash with `trashed`. */
  newFlow: (trashed: boolean) => Promise<string>;
  /** A new knowledge document in W added by the owner, for a call to delete. */
  newDocument: () => Promise<string>;
  /** The id of a new read-only link to W's flow. */
  newShareLink: () => Promise<string>;
  /** The editor's presence on W's flow, from the client `clientId`. */
  showPresence: (clientId: string) => Promise<void>;
  /**
   * W's flow as a Yjs update (base64), read once by the editor with `flowSync`: pushed
   * again, it brings nothing new however the flow changed since.
   */
  flowUpdate: () => Promise<string>;
  /** W's flow's current version, read by the editor. */
  currentVersion: () => Promise<number>;
  /** W's flow exported as JSON (once, by the editor), for `importFlow`. */
  flowExport: () => Promise<string>;
  /** The editor adds a node and an edge to W's flow: one `flowEvents` event. */
  editFlow: () => Promise<void>;
}

let nodes = 0;

/**
 * `request`, again after the wait it is told while the router's rate limit refuses it: the
 * limit is per client address, shared by every test file running against the stack.
 * A refused request was not executed, so sending it again is safe.
 */
export async function patiently<T extends Pick<GraphQLResponse<unknown>, 'errors'>>(
  request: () => Promise<T>,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    const response = await request();
    const limited = response.errors?.find((error) => error.extensions?.code === 'RATE_LIMITED');
    if (!limited || tries === 3) return response;
    const seconds = Math.min(60, Number(limited.extensions?.['retryAfterSeconds'] ?? 1));
    console.warn(`authorization matrix: rate limited by the router, waiting ${seconds} s`);
    await sleep(seconds * 1000);
  }
}

/** `has(root)`: whether the schema has that root field (e.g. `Mutation.shareFlow`), for the optional parts. */
export async function createWorld(url: string, has: (root: string) => boolean): Promise<World> {
  /** Setup must work: a failure here is not an outcome of the matrix. */
  async function call<T = any>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const result = await patiently(() => gql(url, query, variables, token));
    if (result.errors || !result.data) throw new Error(`world setup: ${query}\n${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  async function signUp(name: string): Promise<TestUser> {
    const email = uniqueEmail('matrix');
    const { signUp: payload } = await call(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id } } }',
      { input: { email, password: PASSWORD, name } },
    );
    return { id: payload.user.id, name, email, token: payload.accessToken, refreshToken: payload.refreshToken };
  }

  const createWorkspace = async (owner: TestUser, name: string): Promise<string> =>
    (await call('mutation ($name: String!) { createWorkspace(input: { name: $name }) { id } }', { name }, owner.token))
      .createWorkspace.id;

  /** Invites `email` (as `by`) and returns the mailed token; waits for this mail, not an older one. */
  async function invite(by: TestUser, workspaceId: string, email: string, role: WorkspaceRole) {
    const before = (await mailsTo(email)).length;
    const { inviteToWorkspace } = await call(
      'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
      { input: { workspaceId, email, role } },
      by.token,
    );
    await waitForMails(email, before + 1);
    return { id: inviteToWorkspace.id as string, token: await mailedToken(email, 'accept-invitation') };
  }

  async function join(by: TestUser, workspaceId: string, who: TestUser, role: WorkspaceRole): Promise<void> {
    const { token } = await invite(by, workspaceId, who.email, role);
    await call('mutation ($token: String!) { acceptWorkspaceInvitation(token: $token) { id } }', { token }, who.token);
  }

  const [owner, viewer, editor, admin, other, otherOwner] = (await Promise.all(
    ['Owner', 'Viewer', 'Editor', 'Admin', 'Other', 'Other owner'].map(signUp),
  )) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
  const workspaceName = 'Matrix W';
  const [workspaceId, otherWorkspaceId] = await Promise.all([
    createWorkspace(owner, workspaceName),
    createWorkspace(otherOwner, 'Matrix other'),
  ]);
  await Promise.all([
    join(owner, workspaceId, admin, 'ADMIN'),
    join(owner, workspaceId, editor, 'EDITOR'),
    join(owner, workspaceId, viewer, 'EDITOR'),
    join(otherOwner, otherWorkspaceId, other, 'ADMIN'),
  ]);
  // Demoted at once (before the other subgraphs cache a role): W's audit log and the
  // viewer's own have an event with a subject, done by someone else.
  await call(
    'mutation ($workspaceId: ID!, $userId: ID!) { changeWorkspaceRole(workspaceId: $workspaceId, userId: $userId, role: VIEWER) { role } }',
    { workspaceId, userId: viewer.id },
    owner.token,
  );
  const users: Record<SignedInRole, TestUser> = { viewer, editor, admin, other };

  // Content of W: non-null optional fields, so a `null` in the table means a refusal.
  const { createFlow } = await call(
    'mutation ($input: CreateFlowInput!) { createFlow(input: $input) { id } }',
    { input: { name: 'Checkout', description: 'The matrix flow', workspaceId } },
    editor.token,
  );
  const flowId = createFlow.id as string;
  const node = (id: string, type = 'screen') => ({ id, type, label: id, position: { x: 1, y: 2 }, data: { note: id } });
  const edge = (id: string, source: string, target: string) => ({ id, source, target, label: id, condition: 'Always' });
  const applyOps = (ops: unknown[], by: TestUser) =>
    call(
      'mutation ($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) { applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) { version } }',
      { flowId, ops, clientId: 'matrix-world' },
      by.token,
    );
  // Three versions. The last: a start-to-end path (analytics have paths), a node nothing
  // reaches (validation finds a problem); from the second to it, every kind of difference.
  await applyOps(
    [
      { kind: 'ADD_NODE', node: node('start', 'start') },
      { kind: 'ADD_NODE', node: node('cart') },
      { kind: 'ADD_NODE', node: node('done', 'end') },
      { kind: 'ADD_NODE', node: node('scratch') },
    ],
    editor,
  );
  // Named, so that flowNamedVersions lists one. Not a version the fixtures diff or restore to:
  // rebuilding a named version fails today (INTERNAL_SERVER_ERROR, "Unexpected end of array").
  if (has('Mutation.nameFlowVersion')) {
    await call(
      'mutation ($flowId: ID!) { nameFlowVersion(flowId: $flowId, name: "Nodes") { id } }',
      { flowId },
      editor.token,
    );
  }
  await applyOps(
    [
      { kind: 'ADD_EDGE', edge: edge('go', 'start', 'cart') },
      { kind: 'ADD_EDGE', edge: edge('finish', 'cart', 'done') },
      { kind: 'ADD_EDGE', edge: edge('aside', 'start', 'scratch') },
    ],
    editor,
  );
  const { applyFlowOps: last } = await applyOps(
    [
      { kind: 'ADD_NODE', node: node('orphan') },
      { kind: 'ADD_EDGE', edge: edge('lost', 'orphan', 'done') },
      { kind: 'UPDATE_NODE', nodeId: 'cart', node: { label: 'Basket' } },
      { kind: 'UPDATE_EDGE', edgeId: 'go', edge: { label: 'Check out' } },
      { kind: 'DELETE_NODE', nodeId: 'scratch' },
    ],
    editor,
  );
  const flowVersion = last.version as number;
  const { addKnowledge } = await call(
    'mutation ($input: AddKnowledgeInput!) { addKnowledge(input: $input) { id } }',
    { input: { title: 'Brand guide', content: 'Use the blue.', workspaceId } },
    editor.token,
  );
  // Indexed before the matrix runs, so `searchKnowledge` finds it whatever the timing.
  for (let tries = 0; tries < 100; tries += 1) {
    const { knowledgeDocument } = await call(
      'query ($id: ID!) { knowledgeDocument(id: $id) { indexStatus } }',
      { id: addKnowledge.id },
      editor.token,
    );
    if (knowledgeDocument.indexStatus === 'INDEXED') break;
    await sleep(100);
  }
  // An invitation nobody accepts: W's `invitations` is never empty.
  await invite(owner, workspaceId, uniqueEmail('matrix-open'), 'VIEWER');
  const { cert: samlCertificate } = await selfSigned([{ name: 'commonName', value: 'idp.example.com' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  if (has('Mutation.configureWorkspaceSaml')) {
    await call(
      'mutation ($id: ID!, $input: WorkspaceSamlInput!) { configureWorkspaceSaml(workspaceId: $id, input: $input) { workspaceId } }',
      { id: workspaceId, input: samlInput(samlCertificate) },
      owner.token,
    );
  }

  // Shared beyond W: Flow.collaborators and Flow.shareLinks are never empty.
  const inviteToFlow = async (email: string, to = flowId): Promise<{ id: string; token: string }> => {
    const { inviteToFlow: invitation } = await call(
      'mutation ($flowId: ID!, $email: String!) { inviteToFlow(flowId: $flowId, email: $email, role: VIEWER) { id } }',
      { flowId: to, email },
      owner.token,
    );
    return { id: invitation.id as string, token: await mailedToken(email, 'accept-flow-invitation') };
  };
  // Beyond its workspace, a flow is shared by invitation: the invited account accepts it.
  const share = async (user: TestUser) => {
    const { token } = await inviteToFlow(user.email);
    await call('mutation ($token: String!) { acceptFlowInvitation(token: $token) { id } }', { token }, user.token);
  };
  const newShareLink = async (): Promise<{ id: string; token: string }> => {
    const { createFlowShareLink } = await call(
      'mutation ($flowId: ID!) { createFlowShareLink(flowId: $flowId) { token link { id } } }',
      { flowId },
      owner.token,
    );
    return { id: createFlowShareLink.link.id, token: createFlowShareLink.token };
  };
  let shareToken = '';
  if (has('Mutation.shareFlow')) {
    await share(await signUp('Collaborator'));
    // An open invitation, for the rows that read W's flow's invitations.
    await inviteToFlow(uniqueEmail('matrix-open-flow-invite'));
    shareToken = (await newShareLink()).token;
  }

  const newSession = async (user: TestUser): Promise<Session> => {
    const { logIn } = await call(
      'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }',
      { input: { email: user.email, password: PASSWORD } },
    );
    const sid = decodeJwt(logIn.accessToken as string)['sid'];
    if (typeof sid !== 'string') throw new Error('world setup: the access token has no sid');
    return { id: sid, accessToken: logIn.accessToken, refreshToken: logIn.refreshToken };
  };

  const freshRoleUser = async (role: SignedInRole): Promise<TestUser> => {
    const user = await signUp(`Fresh ${role}`);
    if (role === 'other') await join(otherOwner, otherWorkspaceId, user, 'ADMIN');
    else await join(owner, workspaceId, user, role.toUpperCase() as WorkspaceRole);
    return user;
  };

  const spareMember = async (): Promise<TestUser> => {
    const user = await signUp('Spare member');
    await join(owner, workspaceId, user, 'VIEWER');
    return user;
  };
  let shared: Promise<TestUser> | undefined;
  let flowUpdate: Promise<string> | undefined;
  let flowExport: Promise<string> | undefined;

  const totpCode = async (secret: string): Promise<string> => totp({ secret });

  return {
    url,
    owner,
    users,
    workspaceId,
    workspaceName,
    otherWorkspaceId,
    otherOwner,
    flowId,
    flowVersion,
    documentId: addKnowledge.id as string,
    samlCertificate,
    shareToken,
    tokenOf: (role) => (role === 'anonymous' ? undefined : users[role].token),
    freshRoleUser,
    spareMember,
    sharedMember: () => (shared ??= spareMember()),
    openInvitation: async () => (await invite(owner, workspaceId, uniqueEmail('matrix-revocable'), 'VIEWER')).id,
    spareInvitation: async (email, role) => {
      const spare = await createWorkspace(owner, 'Matrix spare');
      const [invited] = await Promise.all([
        invite(owner, spare, email, role),
        role === 'ADMIN' ? invite(owner, spare, uniqueEmail('matrix-open'), 'VIEWER') : undefined,
      ]);
      return invited.token;
    },
    newSession,
    sessionAs: async (user) => {
      const session = await newSession(user);
      return { ...user, token: session.accessToken, refreshToken: session.refreshToken };
    },
    twoFactorUser: async (role, confirmed) => {
      const user = await freshRoleUser(role);
      const { enrollTwoFactor } = await call(
        'mutation ($password: String) { enrollTwoFactor(password: $password) { secret } }',
        { password: PASSWORD },
        user.token,
      );
      const secret = enrollTwoFactor.secret as string;
      if (!confirmed) return { user, secret, recoveryCodes: [] };
      const { confirmTwoFactor } = await call(
        'mutation ($code: String!) { confirmTwoFactor(code: $code) { codes } }',
        { code: await totpCode(secret) },
        user.token,
      );
      return { user, secret, recoveryCodes: confirmTwoFactor.codes as string[] };
    },
    totp: totpCode,
    newCollaborator: async () => {
      const user = await signUp('Collaborator');
      await share(user);
      return user;
    },
    newFlowInvitation: async () => (await inviteToFlow(uniqueEmail('matrix-flow-invite'))).id,
    flowInvitationFor: async (email) => {
      const { createFlow: spare } = await call(
        'mutation ($input: CreateFlowInput!) { createFlow(input: $input) { id } }',
        { input: { name: 'Spare flow to accept', workspaceId } },
        owner.token,
      );
      return (await inviteToFlow(email, spare.id as string)).token;
    },
    newShareLink: async () => (await newShareLink()).id,
    newFlow: async (trashed) => {
      const { createFlow: created } = await call(
        'mutation ($input: CreateFlowInput!) { createFlow(input: $input) { id } }',
        { input: { name: 'Spare flow', description: 'For a mutation to consume', workspaceId } },
        owner.token,
      );
      if (trashed) await call('mutation ($id: ID!) { deleteFlow(id: $id) }', { id: created.id }, owner.token);
      return created.id as string;
    },
    newDocument: async () => {
      const { addKnowledge: added } = await call(
        'mutation ($input: AddKnowledgeInput!) { addKnowledge(input: $input) { id } }',
        { input: { title: 'Spare document', content: 'For a mutation to consume.', workspaceId } },
        owner.token,
      );
      return added.id as string;
    },
    showPresence: async (clientId) => {
      await call(
        'mutation ($flowId: ID!, $input: PresenceInput!) { updatePresence(flowId: $flowId, input: $input) }',
        { flowId, input: { clientId, name: 'Editor', color: '#336699', cursor: { x: 5, y: 6 }, selection: ['start'] } },
        editor.token,
      );
    },
    flowUpdate: () =>
      (flowUpdate ??= call(
        'query ($flowId: ID!) { flowSync(flowId: $flowId) { update } }',
        { flowId },
        editor.token,
      ).then((data) => data.flowSync.update as string)),
    currentVersion: async () =>
      (await call('query ($id: ID!) { flow(id: $id) { version } }', { id: flowId }, editor.token)).flow.version,
    flowExport: () =>
      (flowExport ??= call('query ($id: ID!) { exportFlow(id: $id, format: JSON) }', { id: flowId }, editor.token).then(
        (data) => data.exportFlow as string,
      )),
    editFlow: async () => {
      const id = `event-${(nodes += 1)}`;
      await applyOps(
        [
          { kind: 'ADD_NODE', node: node(id) },
          { kind: 'ADD_EDGE', edge: edge(`to-${id}`, 'start', id) },
        ],
        editor,
      );
    },
  };
}

/** A valid `WorkspaceSamlInput` around `certificate`. */
export const samlInput = (certificate: string) => ({
  idpMetadata: idpMetadataXml({ entityId: 'https://idp.example.com', certificate }, 'https://idp.example.com/sso'),
  defaultRole: 'VIEWER',
});
