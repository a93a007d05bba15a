// What the matrix calls each root field with, per role. Every root field of the schema
// needs an entry: a new one fails the matrix test until it has one here, and a reviewed
// row in matrix.md. Mutations change state, so each call gets targets of its own (a fresh
// member to remove, a fresh email to invite, ...) and the roles' own users survive them.
import { uniqueEmail, type TestUser } from '#internal/testkit';
import type { NestedArguments } from './operations.js';
import { PASSWORD, samlInput, type Role, type SignedInRole, type World, type WorkspaceRole } from './world.js';

export type Variables = Record<string, unknown>;

/** A call sent by `user` (a fresh user in the role's place) instead of the role's own user. */
export class As {
  constructor(
    readonly user: TestUser,
    readonly variables: Variables,
  ) {}
}

/** The root field's arguments for `role`; it may first prepare what the call consumes. */
export type Fixture = (world: World, role: Role) => Variables | As | Promise<Variables | As>;

/** A malformed-but-plausible token: BAD_USER_INPUT from it shows the call got past authorization. */
const BOGUS_TOKEN = 'x'.repeat(43);
/**
 * What anonymous calls name instead of a target made for them: every such mutation needs a
 * signed-in caller, and a target that does not exist cannot be spent should one get through.
 */
const BOGUS_ID = '0'.repeat(24);
const NEW_PASSWORD = 'another horse battery';
let added = 0;

const none: Fixture = () => ({});
/** The role's own user; anonymous acts on the viewer's account (the token or email is the credential). */
const userOf = (world: World, role: Role): TestUser => world.users[role === 'anonymous' ? 'viewer' : role];

/** Sent by a fresh user in the role's place (anonymous: without a token), for calls that spend the account. */
const fresh =
  (variables: Variables): Fixture =>
  async (world, role) =>
    role === 'anonymous' ? variables : new As(await world.freshRoleUser(role), variables);

/** The role each column is invited with to a spare workspace: its role in W. */
const SPARE_ROLE: Record<SignedInRole, WorkspaceRole> = {
  viewer: 'VIEWER',
  editor: 'EDITOR',
  admin: 'ADMIN',
  other: 'VIEWER',
};

export const fixtures: Record<string, Fixture> = {
  'Query.plans': none,
  'Query.billingMode': none,
  'Query.mySubscription': none,
  'Query.aiProviders': none,
  'Query.flow': (world) => ({ id: world.flowId }),
  'Query.flowSync': (world) => ({ flowId: world.flowId }),
  'Query.validateFlow': (world) => ({ id: world.flowId }),
  'Query.flowAnalytics': (world) => ({ id: world.flowId }),
  'Query.exportFlow': (world) => ({ id: world.flowId, format: 'JSON' }),
  'Query.flowHistory': (world) => ({ flowId: world.flowId }),
  'Query.flowDiff': (world) => ({ flowId: world.flowId, from: world.flowVersion - 1, to: world.flowVersion }),
  'Query.flowNamedVersions': (world) => ({ flowId: world.flowId }),
  // The link's token is the credential: every caller presents the same one.
  'Query.sharedFlow': (world) => ({ token: world.shareToken }),
  'Query.flows': (world) => ({ workspaceId: world.workspaceId }),
  'Query.knowledgeDocuments': (world) => ({ workspaceId: world.workspaceId }),
  'Query.knowledgeDocument': (world) => ({ id: world.documentId }),
  'Query.searchKnowledge': (world) => ({ query: 'brand guide blue', workspaceId: world.workspaceId }),
  'Query.retrieveKnowledge': (world) => ({ prompt: 'brand guide blue', workspaceId: world.workspaceId }),
  'Query.me': none,
  'Query.sessions': none,
  'Query.myAuditLog': none,
  'Query.workspace': (world) => ({ id: world.workspaceId }),
  'Query.myWorkspaces': none,
  'Query.workspaceSaml': (world) => ({ workspaceId: world.workspaceId }),

  'Subscription.flowEvents': (world) => ({ flowId: world.flowId }),
  'Subscription.flowPresence': (world, role) => ({ flowId: world.flowId, clientId: `matrix-${role}` }),

  'Mutation.createFlow': (world, role) => ({
    input: { name: `Matrix ${role}`, description: 'Created by the matrix', workspaceId: world.workspaceId },
  }),
  'Mutation.applyFlowOps': (world, role) => ({
    flowId: world.flowId,
    clientId: `matrix-${role}`,
    ops: [
      {
        kind: 'ADD_NODE',
        node: { id: `${role}-${(added += 1)}`, type: 'screen', label: role, position: { x: 3, y: 4 }, data: { role } },
      },
    ],
  }),
  // The flow's whole document, as flowSync gives it: a valid update with nothing new in it.
  'Mutation.pushFlowUpdate': async (world, role) => ({
    flowId: world.flowId,
    clientId: `matrix-${role}`,
    update: await world.flowUpdate(),
  }),
  'Mutation.updatePresence': (world, role) => ({
    flowId: world.flowId,
    input: { clientId: `matrix-${role}`, name: role, color: '#993366', cursor: { x: 1, y: 2 }, selection: ['start'] },
  }),
  // Sharing again with the same role changes nothing.
  // By id only with someone the sharer works with: a member of W (anyone else is invited by email).
  'Mutation.shareFlow': async (world) => ({
    flowId: world.flowId,
    userId: (await world.sharedMember()).id,
    role: 'VIEWER',
  }),
  'Mutation.unshareFlow': async (world, role) => ({
    flowId: world.flowId,
    userId: role === 'anonymous' ? BOGUS_ID : (await world.newCollaborator()).id,
  }),
  'Mutation.inviteToFlow': (world) => ({
    flowId: world.flowId,
    email: uniqueEmail('matrix-invite-to-flow'),
    role: 'VIEWER',
  }),
  'Mutation.revokeFlowInvitation': async (world, role) => ({
    flowId: world.flowId,
    id: role === 'anonymous' ? BOGUS_ID : await world.newFlowInvitation(),
  }),
  // An invitation to the role's own address: accepting it is theirs to do.
  'Mutation.acceptFlowInvitation': async (world, role) => ({
    token: role === 'anonymous' ? BOGUS_TOKEN : await world.flowInvitationFor(world.users[role].email),
  }),
  'Mutation.createFlowShareLink': (world) => ({ flowId: world.flowId }),
  'Mutation.revokeFlowShareLink': async (world, role) => ({
    flowId: world.flowId,
    id: role === 'anonymous' ? BOGUS_ID : await world.newShareLink(),
  }),
  'Mutation.importFlow': async (world, role) => ({
    input: {
      format: 'JSON',
      text: await world.flowExport(),
      name: `Imported by ${role}`,
      workspaceId: world.workspaceId,
    },
  }),
  // Moves W's flow's nodes; their positions are not what any row reads.
  'Mutation.layoutFlow': (world, role) => ({ flowId: world.flowId, direction: 'RIGHT', clientId: `matrix-${role}` }),
  'Mutation.deleteFlow': async (world) => ({ id: await world.newFlow(false) }),
  'Mutation.restoreFlow': async (world) => ({ id: await world.newFlow(true) }),
  'Mutation.duplicateFlow': (world, role) => ({
    id: world.flowId,
    name: `Copy by ${role}`,
    workspaceId: world.workspaceId,
  }),
  'Mutation.nameFlowVersion': (world, role) => ({ flowId: world.flowId, name: `Matrix ${role} ${(added += 1)}` }),
  // To the current version: it changes nothing, and two callers at once cannot race.
  'Mutation.restoreFlowVersion': async (world, role) => ({
    flowId: world.flowId,
    version: await world.currentVersion(),
    clientId: `matrix-${role}`,
  }),
  'Mutation.updateKnowledge': (world, role) => ({ id: world.documentId, input: { tags: [`matrix-${role}`] } }),
  'Mutation.deleteKnowledge': async (world) => ({ id: await world.newDocument() }),
  'Mutation.addKnowledge': (world, role) => ({
    input: { title: `Matrix ${role}`, content: 'Matrix notes.', workspaceId: world.workspaceId },
  }),
  'Mutation.changePassword': fresh({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
  'Mutation.deleteAccount': fresh({ password: PASSWORD }),
  'Mutation.requestEmailVerification': none,
  'Mutation.verifyEmail': () => ({ token: BOGUS_TOKEN }),
  'Mutation.requestPasswordReset': (world, role) => ({ email: userOf(world, role).email }),
  'Mutation.resetPassword': () => ({ token: BOGUS_TOKEN, newPassword: NEW_PASSWORD }),
  // A fresh user each time: an account gets only three change links an hour. The change waits for its link.
  'Mutation.requestEmailChange': async (world, role) => {
    const variables = { newEmail: uniqueEmail('matrix-move'), password: PASSWORD };
    return role === 'anonymous' ? variables : new As(await world.freshRoleUser(role), variables);
  },
  'Mutation.confirmEmailChange': () => ({ token: BOGUS_TOKEN }),
  'Mutation.resetTwoFactor': () => ({ token: BOGUS_TOKEN }),
  'Mutation.signUp': () => ({ input: { email: uniqueEmail('matrix-signup'), password: PASSWORD, name: 'Signed up' } }),
  'Mutation.logIn': (world, role) => ({ input: { email: userOf(world, role).email, password: PASSWORD } }),
  // Refreshing is what a signed-out client does: anonymous presents the viewer's refresh token.
  'Mutation.refreshToken': async (world, role) => ({
    token: (await world.newSession(userOf(world, role))).refreshToken,
  }),
  'Mutation.revokeSession': async (world, role) => ({
    id: role === 'anonymous' ? BOGUS_ID : (await world.newSession(userOf(world, role))).id,
  }),
  // A session of its own (a new log-in of the role's user): signing out ends its access token too.
  'Mutation.logOut': async (world, role) =>
    role === 'anonymous' ? {} : new As(await world.sessionAs(userOf(world, role)), {}),
  // Leaves a pending secret only; two-factor stays off until confirmed.
  'Mutation.enrollTwoFactor': () => ({ password: PASSWORD }),
  'Mutation.confirmTwoFactor': async (world, role) => {
    if (role === 'anonymous') return { code: '000000' };
    const { user, secret } = await world.twoFactorUser(role, false);
    return new As(user, { code: await world.totp(secret) });
  },
  'Mutation.disableTwoFactor': async (world, role) => {
    if (role === 'anonymous') return { code: '000000', password: PASSWORD };
    const { user, recoveryCodes } = await world.twoFactorUser(role, true);
    return new As(user, { code: recoveryCodes[0], password: PASSWORD });
  },
  'Mutation.regenerateRecoveryCodes': async (world, role) => {
    if (role === 'anonymous') return { code: '000000', password: PASSWORD };
    const { user, recoveryCodes } = await world.twoFactorUser(role, true);
    return new As(user, { code: recoveryCodes[0], password: PASSWORD });
  },
  'Mutation.createWorkspace': (_world, role) => ({ input: { name: `Matrix ${role}` } }),
  // W's own name: the rename changes nothing.
  'Mutation.renameWorkspace': (world) => ({ id: world.workspaceId, name: world.workspaceName }),
  'Mutation.inviteToWorkspace': (world) => ({
    input: { workspaceId: world.workspaceId, email: uniqueEmail('matrix-invitee'), role: 'VIEWER' },
  }),
  'Mutation.revokeWorkspaceInvitation': async (world, role) => ({
    id: role === 'anonymous' ? BOGUS_ID : await world.openInvitation(),
  }),
  // The members of W cannot be invited to W again (CONFLICT): each call gets an invitation to a new workspace.
  'Mutation.acceptWorkspaceInvitation': async (world, role) => ({
    token: role === 'anonymous' ? BOGUS_TOKEN : await world.spareInvitation(world.users[role].email, SPARE_ROLE[role]),
  }),
  // Every call (and every repeat) asks for the same role: the member ends up as EDITOR whoever succeeds.
  'Mutation.changeWorkspaceRole': async (world) => ({
    workspaceId: world.workspaceId,
    userId: (await world.sharedMember()).id,
    role: 'EDITOR',
  }),
  'Mutation.removeWorkspaceMember': async (world, role) => ({
    workspaceId: world.workspaceId,
    userId: role === 'anonymous' ? BOGUS_ID : (await world.spareMember()).id,
  }),
  // Only the owner may transfer, and no column is the owner: a success is a failure of the test anyway.
  'Mutation.transferWorkspaceOwnership': async (world) => ({
    workspaceId: world.workspaceId,
    userId: (await world.sharedMember()).id,
  }),
  'Mutation.configureWorkspaceSaml': (world) => ({
    workspaceId: world.workspaceId,
    input: samlInput(world.samlCertificate),
  }),
  'Mutation.disableWorkspaceSaml': (world) => ({ workspaceId: world.workspaceId }),
  'Mutation.exchangeLoginCode': () => ({ code: BOGUS_TOKEN }),
};

export interface Trigger {
  /** Makes one event happen on what the fixture's arguments subscribe to. */
  fire: (world: World) => Promise<void>;
  /** Whether a message is that event; others (someone else leaving, say) are skipped. */
  isEvent?: (data: Record<string, any>) => boolean;
}

const PRESENCE_CLIENT = 'matrix-trigger';

export const triggers: Record<string, Trigger> = {
  'Subscription.flowEvents': { fire: (world) => world.editFlow() },
  'Subscription.flowPresence': {
    fire: (world) => world.showPresence(PRESENCE_CLIENT),
    isEvent: (data) => data['flowPresence']?.clientId === PRESENCE_CLIENT,
  },
};

/**
 * Mutations run one root field at a time, in schema order, these last: they take away
 * members, accounts or sessions that other rows could still read (a removed member's
 * events in W's audit log read differently).
 */
export const runLast: ReadonlySet<string> = new Set([
  'Mutation.removeWorkspaceMember',
  'Mutation.transferWorkspaceOwnership',
  'Mutation.deleteAccount',
  'Mutation.logOut',
]);

/** Arguments of fields below the root that require one (none today), by `Type.field`. */
export const nestedArguments: NestedArguments = {};
