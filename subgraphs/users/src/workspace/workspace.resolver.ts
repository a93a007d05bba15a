import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, conflict, notFound, unauthenticated } from '#internal/errors';
import type { WorkspaceRole as Role } from '#internal/workspaces';
import { AuditEventType } from '../audit/audit.events.js';
import { toAuditEvent } from '../audit/audit.mapper.js';
import { AuditEventConnection } from '../audit/audit.type.js';
import { requireIdentity } from '../auth/auth.guard.js';
import { normalizeEmail } from '../auth/credentials.js';
import type { UsersContext } from '../context.js';
import { invitationMail } from '../mail/messages.js';
import { toUser } from '../user/user.mapper.js';
import { CreateWorkspaceInput, InviteToWorkspaceInput } from './workspace.input.js';
import { toInvitation, toWorkspace } from './workspace.mapper.js';
import { Workspace, WorkspaceInvitation, WorkspaceMember, WorkspaceRole } from './workspace.type.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The workspace as the caller sees it, or NOT_FOUND when they are not a member. */
async function loadWorkspace(context: UsersContext, id: string): Promise<Workspace> {
  requireIdentity(context);
  const [doc, role] = await Promise.all([context.workspaces.find(id), context.myRoles.load(id)]);
  if (!doc || !role) throw notFound('No such workspace.');
  return toWorkspace(doc, role);
}

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @Query(() => Workspace, { nullable: true, description: 'Null unless the caller is a member.' })
  async workspace(@Arg('id', () => ID) id: string, @Ctx() context: UsersContext): Promise<Workspace | null> {
    if (!context.identity) return null;
    const [doc, role] = await Promise.all([context.workspaceById.load(id), context.myRoles.load(id)]);
    return doc && role ? toWorkspace(doc, role) : null;
  }

  @Directive('@authenticated')
  @Query(() => [Workspace], { description: 'The workspaces the caller belongs to, oldest membership first.' })
  async myWorkspaces(@Ctx() context: UsersContext): Promise<Workspace[]> {
    const { userId } = requireIdentity(context);
    const memberships = await context.workspaces.membershipsOf(userId);
    const docs = await Promise.all(memberships.map((m) => context.workspaceById.load(m.workspaceId)));
    return memberships.flatMap((m, i) => {
      const doc = docs[i];
      return doc ? [toWorkspace(doc, m.role)] : [];
    });
  }

  @FieldResolver(() => [WorkspaceMember], { description: 'Everyone in the workspace, oldest first.' })
  async members(@Root() workspace: Workspace, @Ctx() context: UsersContext): Promise<WorkspaceMember[]> {
    const memberships = await context.workspaces.members(workspace.id);
    const users = await context.userById.loadMany(memberships.map((m) => m.userId));
    return memberships.map((m, i) => {
      const user = users[i];
      return { user: user && !(user instanceof Error) ? toUser(user) : null, role: m.role, joinedAt: m.createdAt };
    });
  }

  @FieldResolver(() => [WorkspaceInvitation], { description: 'Open invitations; for ADMIN and OWNER.' })
  async invitations(@Root() workspace: Workspace, @Ctx() context: UsersContext): Promise<WorkspaceInvitation[]> {
    const { userId } = requireIdentity(context);
    return (await context.workspaces.invitations(userId, workspace.id)).map(toInvitation);
  }

  @FieldResolver(() => AuditEventConnection, {
    description:
      "The workspace's security events, newest first, with its members' account events; for ADMIN and OWNER.",
  })
  async auditLog(
    @Root() workspace: Workspace,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() context: UsersContext,
  ): Promise<AuditEventConnection> {
    const { userId } = requireIdentity(context);
    await context.workspaces.requireRole(workspace.id, userId, 'ADMIN');
    const members = await context.workspaces.members(workspace.id);
    // Members' own account events (log-ins, 2FA, sessions) say what happened and when, but
    // where from and the details stay with the member: they may span other workspaces.
    const redacted = (doc: Parameters<typeof toAuditEvent>[0]) => {
      const event = toAuditEvent(doc);
      return event.workspaceId === workspace.id ? event : { ...event, ip: null, details: null };
    };
    return context.audit.forWorkspace(
      workspace.id,
      members.map((m) => m.userId),
      first,
      after,
      redacted,
    );
  }

  @Directive('@authenticated')
  @Mutation(() => Workspace, { description: 'Creates a workspace owned by the caller.' })
  async createWorkspace(
    @Arg('input', () => CreateWorkspaceInput) input: CreateWorkspaceInput,
    @Ctx() context: UsersContext,
  ): Promise<Workspace> {
    const { userId } = requireIdentity(context);
    const doc = await context.workspaces.create(userId, input.name);
    context.myRoles.clear(doc.id as string);
    await context.audit.record({
      type: AuditEventType.WORKSPACE_CREATED,
      actorId: userId,
      workspaceId: doc.id as string,
      ip: context.clientIp,
      details: { name: doc.name },
    });
    return toWorkspace(doc, 'OWNER');
  }

  @Directive('@authenticated')
  @Mutation(() => Workspace, { description: 'Renames a workspace; for ADMIN and OWNER.' })
  async renameWorkspace(
    @Arg('id', () => ID) id: string,
    @Arg('name', () => String) name: string,
    @Ctx() context: UsersContext,
  ): Promise<Workspace> {
    const { userId } = requireIdentity(context);
    const doc = await context.workspaces.rename(userId, id, name);
    await context.audit.record({
      type: AuditEventType.WORKSPACE_RENAMED,
      actorId: userId,
      workspaceId: id,
      ip: context.clientIp,
      details: { name: doc.name },
    });
    return loadWorkspace(context, id);
  }

  @Directive('@authenticated')
  @Mutation(() => WorkspaceInvitation, {
    description:
      'Mails an invitation (valid 7 days) to join with a role below your own; for ADMIN and OWNER. ' +
      'A newer invitation to the same address replaces the older one. CONFLICT if they are a member already.',
  })
  async inviteToWorkspace(
    @Arg('input', () => InviteToWorkspaceInput) input: InviteToWorkspaceInput,
    @Ctx() context: UsersContext,
  ): Promise<WorkspaceInvitation> {
    const { userId } = requireIdentity(context);
    const email = normalizeEmail(input.email);
    if (!EMAIL.test(email) || email.length > 254) throw badUserInput('This is not an email address.', 'email');
    const workspace = await loadWorkspace(context, input.workspaceId);
    const existing = await context.users.findOne({ email }).lean();
    if (existing && (await context.workspaces.roleOf(workspace.id, existing._id.toString()))) {
      throw conflict('This person is a member of the workspace already.');
    }
    const { token, invitation } = await context.workspaces.invite(userId, workspace.id, email, input.role);
    const inviter = await context.userById.load(userId);
    await context.mail.send(
      invitationMail(email, context.publicUrl, token, workspace.name, inviter?.name ?? 'Someone'),
    );
    await context.audit.record({
      type: AuditEventType.MEMBER_INVITED,
      actorId: userId,
      workspaceId: workspace.id,
      ip: context.clientIp,
      details: { email, role: input.role },
    });
    return toInvitation(invitation);
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, { description: 'Revokes an open invitation; for ADMIN and OWNER.' })
  async revokeWorkspaceInvitation(@Arg('id', () => ID) id: string, @Ctx() context: UsersContext): Promise<boolean> {
    const { userId } = requireIdentity(context);
    const invitation = await context.workspaces.revokeInvitation(userId, id);
    await context.audit.record({
      type: AuditEventType.INVITATION_REVOKED,
      actorId: userId,
      workspaceId: invitation.workspaceId,
      ip: context.clientIp,
      details: { email: invitation.email },
    });
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => Workspace, {
    description:
      'Joins a workspace with the token from an invitation mail. It works once, only for the account with the ' +
      'invited email (FORBIDDEN otherwise), and verifies that email. A member already keeps their role. An ' +
      "account a workspace IdP created is taken back from it: the IdP's link and every session end.",
  })
  async acceptWorkspaceInvitation(
    @Arg('token', () => String) token: string,
    @Ctx() context: UsersContext,
  ): Promise<Workspace> {
    const { userId } = requireIdentity(context);
    const user = await context.users.findById(userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    const { invitation, joined } = await context.workspaces.accept(token, { id: userId, email: user.email });
    // The token came by mail to this address: following it proves the mailbox (and takes the
    // account back from a provider that created it; this session ends with the others then).
    await context.sso.reclaim.emailProven(user, 'invitation', context.clientIp);
    if (joined) {
      await context.audit.record({
        type: AuditEventType.MEMBER_JOINED,
        actorId: userId,
        workspaceId: invitation.workspaceId,
        ip: context.clientIp,
        details: { role: invitation.role, invitedBy: invitation.invitedBy },
      });
    }
    return loadWorkspace(context, invitation.workspaceId);
  }

  @Directive('@authenticated')
  @Mutation(() => WorkspaceMember, {
    description: "Changes a member's role. Admins manage EDITOR and VIEWER; the owner manages ADMIN too.",
  })
  async changeWorkspaceRole(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('userId', () => ID) memberId: string,
    @Arg('role', () => WorkspaceRole) role: Role,
    @Ctx() context: UsersContext,
  ): Promise<WorkspaceMember> {
    const { userId } = requireIdentity(context);
    const change = await context.workspaces.changeRole(userId, workspaceId, memberId, role);
    await context.audit.record({
      type: AuditEventType.ROLE_CHANGED,
      actorId: userId,
      subjectId: memberId,
      workspaceId,
      ip: context.clientIp,
      details: change,
    });
    const member = await context.userById.load(memberId);
    return { user: member ? toUser(member) : null, role, joinedAt: new Date() };
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description:
      'Removes a member (admins remove weaker roles); your own id leaves the workspace. The owner cannot leave.',
  })
  async removeWorkspaceMember(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('userId', () => ID) memberId: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    const { userId } = requireIdentity(context);
    const role = await context.workspaces.removeMember(userId, workspaceId, memberId);
    await context.audit.record({
      type: AuditEventType.MEMBER_REMOVED,
      actorId: userId,
      subjectId: memberId,
      workspaceId,
      ip: context.clientIp,
      details: { role },
    });
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => Workspace, {
    description: 'Makes another member the owner; you stay as ADMIN. For the OWNER only.',
  })
  async transferWorkspaceOwnership(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('userId', () => ID) newOwnerId: string,
    @Ctx() context: UsersContext,
  ): Promise<Workspace> {
    const { userId } = requireIdentity(context);
    await context.workspaces.transferOwnership(userId, workspaceId, newOwnerId);
    context.myRoles.clear(workspaceId);
    await context.audit.record({
      type: AuditEventType.OWNERSHIP_TRANSFERRED,
      actorId: userId,
      subjectId: newOwnerId,
      workspaceId,
      ip: context.clientIp,
    });
    return loadWorkspace(context, workspaceId);
  }
}
