import { createHash, randomBytes } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, notFound } from '#internal/errors';
import { hasRole } from '#internal/workspaces';
import type { FlowsContext } from '../../context.js';
import { requireIdentity } from '../flow/flow.access.js';
import { toFlow } from '../flow/flow.mapper.js';
import { Flow } from '../flow/flow.type.js';
import type { FlowInvitationRecord } from '../../store/flowInvitation.model.js';
import { flowInvitationMail } from './flowInvitation.mail.js';
import { invitationEmail } from '../../store/flowInvitations.js';
import type { ShareLinkRecord } from '../../store/sharing.model.js';
import {
  CreatedFlowShareLink,
  FlowCollaborator,
  FlowInvitation,
  FlowShareLink,
  FlowShareRole,
} from './sharing.type.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MAX_COLLABORATORS = 200;
const MAX_LINKS = 20;
const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

const toLink = (record: ShareLinkRecord): FlowShareLink => ({
  id: record._id,
  createdAt: record.createdAt,
  createdBy: { id: record.createdBy },
});

const toInvitation = (record: FlowInvitationRecord): FlowInvitation => ({
  id: record._id,
  email: record.email,
  role: record.role,
  invitedBy: { id: record.invitedBy },
  invitedAt: record.createdAt,
  expiresAt: record.expiresAt,
});

/** What the users domain says of an account (for mail and for matching an invitation's address). */
async function accountOf(context: FlowsContext, userId: string): Promise<{ email: string; name: string } | null> {
  const { accountOf } = await context.usersApi.query<{ accountOf: { email: string; name: string } | null }>(
    'query ($id: ID!) { accountOf(userId: $id) { email name } }',
    { id: userId },
  );
  return accountOf;
}

/**
 * Sharing one flow beyond its workspace: collaborators with a role on it, and read-only
 * links. Managing either needs ADMIN on the flow (checked by the shield rules).
 */
@Resolver(() => Flow)
export class SharingResolver {
  @FieldResolver(() => [FlowCollaborator], { description: 'Who it is shared with, beyond its workspace.' })
  async collaborators(@Root() flow: Flow, @Ctx() context: FlowsContext): Promise<FlowCollaborator[]> {
    const list = await context.sharing.byFlow.load(flow.id);
    return list.map((c) => ({ user: { id: c.userId }, role: c.role, addedAt: c.createdAt }));
  }

  @FieldResolver(() => [FlowShareLink], { description: 'Its read-only links; for ADMIN on the flow.' })
  async shareLinks(@Root() flow: Flow, @Ctx() context: FlowsContext): Promise<FlowShareLink[]> {
    const links = await context.sharing.shareLinks.find({ flowId: flow.id }).sort({ createdAt: -1 }).lean();
    return links.map(toLink);
  }

  @FieldResolver(() => [FlowInvitation], { description: 'Its open invitations; for ADMIN on the flow.' })
  async invitations(@Root() flow: Flow, @Ctx() context: FlowsContext): Promise<FlowInvitation[]> {
    return (await context.sharing.invitations.open(flow.id)).map(toInvitation);
  }

  @Directive('@authenticated')
  @Mutation(() => FlowCollaborator, {
    description:
      'Shares a flow with someone you work with (a member of one of your workspaces, by user id) with a role, or ' +
      "changes a collaborator's role; for ADMIN on the flow. Anyone else is invited by email (`inviteToFlow`). " +
      'Their effective role is the stronger of this and their workspace role.',
  })
  async shareFlow(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => FlowShareRole) role: FlowShareRole,
    @Ctx() context: FlowsContext,
  ): Promise<FlowCollaborator> {
    const identity = requireIdentity(context);
    if (!isValidObjectId(userId)) throw badUserInput('This is not a user id.', 'userId');
    if (userId === identity.userId) throw badUserInput('You cannot share a flow with yourself.', 'userId');
    const { collaborators } = context.sharing;
    const existing = await collaborators.findOne({ flowId, userId }).lean();
    // By id only with people the caller already works with: an id seen elsewhere (an
    // author, an audit entry) is no way to push a flow on a stranger or learn their name.
    if (!existing && !(await context.memberships.shareAWorkspace(identity, { userId }))) {
      throw badUserInput(
        'Share by id with members of your workspaces only; invite anyone else by email (inviteToFlow).',
        'userId',
      );
    }
    if (!existing && (await collaborators.countDocuments({ flowId })) >= MAX_COLLABORATORS) {
      throw badUserInput(`A flow can be shared with at most ${MAX_COLLABORATORS} people.`, 'userId');
    }
    const now = new Date();
    await collaborators.updateOne(
      { flowId, userId },
      { $set: { role }, $setOnInsert: { addedBy: identity.userId, createdAt: now } },
      { upsert: true },
    );
    context.sharing.recentCollaborators.forget(flowId);
    return { user: { id: userId }, role, addedAt: existing?.createdAt ?? now };
  }

  @Directive('@authenticated')
  @Mutation(() => FlowInvitation, {
    description:
      'Invites anyone by email to a flow with a role: the address gets a link (valid 7 days) that makes the account ' +
      'with that email a collaborator once it accepts; for ADMIN on the flow. The answer is the same whether the ' +
      'address has an account or not. A newer invitation to the same address replaces the older one.',
  })
  async inviteToFlow(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('email', () => String) email: string,
    @Arg('role', () => FlowShareRole) role: FlowShareRole,
    @Ctx() context: FlowsContext,
  ): Promise<FlowInvitation> {
    const identity = requireIdentity(context);
    const address = invitationEmail(email);
    const flow = await context.flowById.load(flowId);
    if (!flow) throw notFound('There is no flow with this id.');
    const { token, invitation } = await context.sharing.invitations.invite(flowId, address, role, identity.userId);
    const inviter = await accountOf(context, identity.userId);
    await context.mail.send(
      flowInvitationMail(address, context.publicUrl, token, flow.name, inviter?.name ?? 'Someone'),
    );
    return toInvitation(invitation);
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, { description: 'Revokes an open invitation to a flow; for ADMIN on the flow.' })
  async revokeFlowInvitation(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('id', () => ID) id: string,
    @Ctx() context: FlowsContext,
  ): Promise<boolean> {
    if (!(await context.sharing.invitations.revoke(flowId, id))) throw notFound('No such invitation.');
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => Flow, {
    description:
      'Accepts an invitation to a flow with the token from its mail: it works once, only for the account with ' +
      'the invited email (FORBIDDEN otherwise). Someone who has a stronger role on the flow keeps it.',
  })
  async acceptFlowInvitation(@Arg('token', () => String) token: string, @Ctx() context: FlowsContext): Promise<Flow> {
    const identity = requireIdentity(context);
    const account = await accountOf(context, identity.userId);
    const invitation = await context.sharing.invitations.spend(token, account?.email ?? '');
    const flow = await context.flowById.load(invitation.flowId);
    if (!flow || flow.deletedAt) throw notFound('The flow of this invitation no longer exists.');
    const { collaborators } = context.sharing;
    const existing = await collaborators.findOne({ flowId: invitation.flowId, userId: identity.userId }).lean();
    if (!existing || !hasRole(existing.role, invitation.role)) {
      await collaborators.updateOne(
        { flowId: invitation.flowId, userId: identity.userId },
        {
          $set: { role: invitation.role },
          $setOnInsert: { addedBy: invitation.invitedBy, createdAt: new Date() },
        },
        { upsert: true },
      );
      context.sharing.recentCollaborators.forget(invitation.flowId);
    }
    return toFlow(flow, await context.collab.read(invitation.flowId));
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, { description: 'Stops sharing a flow with someone; for ADMIN on the flow.' })
  async unshareFlow(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() context: FlowsContext,
  ): Promise<boolean> {
    const { deletedCount } = await context.sharing.collaborators.deleteOne({ flowId, userId });
    context.sharing.recentCollaborators.forget(flowId);
    if (deletedCount === 0) throw notFound('The flow is not shared with this user.');
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => CreatedFlowShareLink, { description: 'Creates a read-only link to a flow; for ADMIN on the flow.' })
  async createFlowShareLink(
    @Arg('flowId', () => ID) flowId: string,
    @Ctx() context: FlowsContext,
  ): Promise<CreatedFlowShareLink> {
    const identity = requireIdentity(context);
    const { shareLinks } = context.sharing;
    if ((await shareLinks.countDocuments({ flowId })) >= MAX_LINKS) {
      throw badUserInput(`A flow has at most ${MAX_LINKS} links; revoke one first.`, 'flowId');
    }
    const token = randomBytes(32).toString('base64url');
    const record = { _id: sha256(token), flowId, createdBy: identity.userId, createdAt: new Date() };
    await shareLinks.create(record);
    return { link: toLink(record), token };
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, { description: 'Revokes a read-only link at once; for ADMIN on its flow.' })
  async revokeFlowShareLink(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('id', () => ID) id: string,
    @Ctx() context: FlowsContext,
  ): Promise<boolean> {
    const { deletedCount } = await context.sharing.shareLinks.deleteOne({ _id: id, flowId });
    if (deletedCount === 0) throw notFound('No such link.');
    return true;
  }

  @Query(() => Flow, {
    nullable: true,
    description: 'The flow behind a share link, read-only and without signing in; null once the link is revoked.',
  })
  async sharedFlow(@Arg('token', () => String) token: string, @Ctx() context: FlowsContext): Promise<Flow | null> {
    if (!TOKEN.test(token)) return null;
    const link = await context.sharing.shareLinks.findById(sha256(token)).lean();
    const flow = link && (await context.flows.findById(link.flowId));
    if (!flow || flow.deletedAt) return null;
    return toFlow(flow, await context.collab.read(flow.id as string));
  }
}
