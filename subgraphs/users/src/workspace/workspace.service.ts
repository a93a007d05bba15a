import { createHash, randomBytes } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { isDuplicateKey } from '#internal/db';
import { badUserInput, conflict, forbidden, notFound } from '#internal/errors';
import { canManage, hasRole, type WorkspaceRole } from '#internal/workspaces';
import type {
  InvitationModel,
  InvitationRecord,
  MembershipDocument,
  MembershipModel,
  WorkspaceDocument,
  WorkspaceModel,
} from './workspace.model.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Open invitations per workspace: a bound on the mail one admin can make us send. */
export const MAX_OPEN_INVITATIONS = 100;

export interface WorkspaceStores {
  workspaces: WorkspaceModel;
  memberships: MembershipModel;
  invitations: InvitationModel;
}

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const noSuchWorkspace = (): Error => notFound('No such workspace.');

/**
 * Workspaces, their members and invitations. Every check is by the acting user's own
 * membership; a workspace the user does not belong to looks like no workspace at all.
 */
export class WorkspaceService {
  constructor(
    private readonly stores: WorkspaceStores,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string, name: string): Promise<WorkspaceDocument> {
    const workspace = await this.stores.workspaces.create({ name: checkName(name) });
    await this.stores.memberships.create({
      workspaceId: workspace.id as string,
      userId,
      role: 'OWNER',
      createdAt: new Date(this.now()),
    });
    return workspace;
  }

  async exists(workspaceId: string): Promise<boolean> {
    return isValidObjectId(workspaceId) && (await this.stores.workspaces.exists({ _id: workspaceId })) !== null;
  }

  find(workspaceId: string): Promise<WorkspaceDocument | null> {
    return isValidObjectId(workspaceId) ? this.stores.workspaces.findById(workspaceId) : Promise.resolve(null);
  }

  /** The workspaces with these ids (one query; unknown and malformed ids are left out). */
  findMany(workspaceIds: readonly string[]): Promise<WorkspaceDocument[]> {
    const valid = workspaceIds.filter((id) => isValidObjectId(id));
    return valid.length === 0 ? Promise.resolve([]) : this.stores.workspaces.find({ _id: { $in: valid } });
  }

  async roleOf(workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
    const membership = await this.stores.memberships.findOne({ workspaceId, userId }).lean();
    return membership?.role ?? null;
  }

  /** The user's role, if it is at least `atLeast`; NOT_FOUND for non-members, FORBIDDEN for weaker roles. */
  async requireRole(workspaceId: string, userId: string, atLeast: WorkspaceRole): Promise<WorkspaceRole> {
    const role = await this.roleOf(workspaceId, userId);
    if (!role) throw noSuchWorkspace();
    if (!hasRole(role, atLeast)) throw forbidden(`This needs the ${atLeast} role in the workspace, or a stronger one.`);
    return role;
  }

  /** The user's roles in the given workspaces (absent: not a member). */
  async rolesOf(userId: string, workspaceIds: readonly string[]): Promise<Map<string, WorkspaceRole>> {
    const found = await this.stores.memberships.find({ userId, workspaceId: { $in: [...workspaceIds] } }).lean();
    return new Map(found.map((m) => [m.workspaceId, m.role]));
  }

  /** The members of every workspace where the user is ADMIN or OWNER. */
  async administeredUsers(userId: string): Promise<Set<string>> {
    const administered = await this.stores.memberships.find({ userId, role: { $in: ['OWNER', 'ADMIN'] } }).lean();
    if (administered.length === 0) return new Set();
    const members = await this.stores.memberships
      .find({ workspaceId: { $in: administered.map((m) => m.workspaceId) } })
      .lean();
    return new Set(members.map((m) => m.userId));
  }

  membershipsOf(userId: string): Promise<MembershipDocument[]> {
    return this.stores.memberships.find({ userId }).sort({ createdAt: 1 }).limit(1000);
  }

  members(workspaceId: string): Promise<MembershipDocument[]> {
    return this.stores.memberships.find({ workspaceId }).sort({ createdAt: 1 }).limit(10_000);
  }

  /** Adds a member; a no-op when the user belongs to the workspace already (their role is kept). */
  async addMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
    if (role === 'OWNER') throw badUserInput('A workspace has one owner; transfer ownership instead.', 'role');
    try {
      await this.stores.memberships.create({ workspaceId, userId, role, createdAt: new Date(this.now()) });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async rename(actorId: string, workspaceId: string, name: string): Promise<WorkspaceDocument> {
    await this.requireRole(workspaceId, actorId, 'ADMIN');
    const workspace = await this.stores.workspaces.findByIdAndUpdate(
      workspaceId,
      { $set: { name: checkName(name) } },
      { new: true },
    );
    if (!workspace) throw noSuchWorkspace();
    return workspace;
  }

  /** Issues an invitation and returns its token (to be mailed). Admins invite below their own role. */
  async invite(
    actorId: string,
    workspaceId: string,
    email: string,
    role: WorkspaceRole,
  ): Promise<{ token: string; invitation: InvitationRecord }> {
    const actorRole = await this.requireRole(workspaceId, actorId, 'ADMIN');
    checkGrant(actorRole, role);
    const now = this.now();
    await this.stores.invitations.deleteMany({ workspaceId, expiresAt: { $lte: new Date(now) } });
    if ((await this.stores.invitations.countDocuments({ workspaceId })) >= MAX_OPEN_INVITATIONS) {
      throw conflict(`The workspace has ${MAX_OPEN_INVITATIONS} open invitations; revoke some first.`);
    }
    // A newer invitation to the same address replaces the older one.
    await this.stores.invitations.deleteMany({ workspaceId, email });
    const token = randomBytes(32).toString('base64url');
    const invitation = await this.stores.invitations.create({
      _id: sha256(token),
      workspaceId,
      email,
      role,
      invitedBy: actorId,
      createdAt: new Date(now),
      expiresAt: new Date(now + INVITATION_TTL_MS),
    });
    return { token, invitation: invitation.toObject() };
  }

  async invitations(actorId: string, workspaceId: string): Promise<InvitationRecord[]> {
    await this.requireRole(workspaceId, actorId, 'ADMIN');
    return this.stores.invitations
      .find({ workspaceId, expiresAt: { $gt: new Date(this.now()) } })
      .sort({ createdAt: -1 })
      .lean();
  }

  /** Revokes by the invitation's id (the hash, never the token). */
  async revokeInvitation(actorId: string, invitationId: string): Promise<InvitationRecord> {
    const invitation = await this.stores.invitations.findById(invitationId).lean();
    if (!invitation) throw notFound('No such invitation.');
    // Someone who cannot see the workspace's invitations learns nothing from the answer.
    const role = await this.roleOf(invitation.workspaceId, actorId);
    if (!hasRole(role, 'ADMIN')) throw notFound('No such invitation.');
    await this.stores.invitations.deleteOne({ _id: invitationId });
    return invitation;
  }

  /**
   * Joins the invitation's workspace. The invitation is for one address: the signed-in
   * user must have that email. It works once; a member who accepts keeps their role.
   */
  async accept(
    token: string,
    user: { id: string; email: string },
  ): Promise<{ invitation: InvitationRecord; joined: boolean }> {
    const invalid = (): Error => badUserInput('The invitation is invalid, expired or has been used already.', 'token');
    if (!TOKEN.test(token)) throw invalid();
    const id = sha256(token);
    const invitation = await this.stores.invitations.findById(id).lean();
    if (!invitation || invitation.expiresAt.getTime() <= this.now()) throw invalid();
    if (invitation.email !== user.email) {
      throw forbidden('This invitation was sent to another email address; sign in with that account.');
    }
    // Deleting is how it is spent: of concurrent accepts exactly one deletes it.
    const { deletedCount } = await this.stores.invitations.deleteOne({ _id: id });
    if (deletedCount !== 1) throw invalid();
    try {
      await this.stores.memberships.create({
        workspaceId: invitation.workspaceId,
        userId: user.id,
        role: invitation.role,
        createdAt: new Date(this.now()),
      });
      return { invitation, joined: true };
    } catch (error) {
      if (isDuplicateKey(error)) return { invitation, joined: false };
      throw error;
    }
  }

  /** Changes a member's role; only roles below the actor's own can be given or taken. */
  async changeRole(
    actorId: string,
    workspaceId: string,
    userId: string,
    role: WorkspaceRole,
  ): Promise<{ from: WorkspaceRole; to: WorkspaceRole }> {
    const actorRole = await this.requireRole(workspaceId, actorId, 'ADMIN');
    const current = await this.roleOf(workspaceId, userId);
    if (!current) throw notFound('No such member.');
    if (current === 'OWNER' || role === 'OWNER') {
      throw badUserInput('The owner changes only by transferring ownership.', 'role');
    }
    if (!canManage(actorRole, current)) throw forbidden(`Only the owner can change the role of an ${current}.`);
    checkGrant(actorRole, role);
    await this.stores.memberships.updateOne({ workspaceId, userId }, { $set: { role } });
    return { from: current, to: role };
  }

  /** Removes a member: admins remove weaker roles; anyone but the owner may leave. */
  async removeMember(actorId: string, workspaceId: string, userId: string): Promise<WorkspaceRole> {
    const actorRole = await this.roleOf(workspaceId, actorId);
    if (!actorRole) throw noSuchWorkspace();
    const current = await this.roleOf(workspaceId, userId);
    if (!current) throw notFound('No such member.');
    if (current === 'OWNER') throw badUserInput('The owner cannot leave; transfer ownership first.', 'userId');
    if (userId !== actorId && !(hasRole(actorRole, 'ADMIN') && canManage(actorRole, current))) {
      throw forbidden(`You cannot remove an ${current} from this workspace.`);
    }
    await this.stores.memberships.deleteOne({ workspaceId, userId });
    return current;
  }

  /**
   * Makes another member the owner; the old owner stays as ADMIN. The new owner is
   * promoted before the old one is demoted, so the workspace is never without an owner.
   */
  async transferOwnership(actorId: string, workspaceId: string, userId: string): Promise<void> {
    await this.requireRole(workspaceId, actorId, 'OWNER');
    if (userId === actorId) throw badUserInput('You own this workspace already.', 'userId');
    const { matchedCount } = await this.stores.memberships.updateOne(
      { workspaceId, userId },
      { $set: { role: 'OWNER' } },
    );
    if (matchedCount === 0) throw notFound('No such member: the new owner must belong to the workspace.');
    await this.stores.memberships.updateOne({ workspaceId, userId: actorId }, { $set: { role: 'ADMIN' } });
  }

  /** Leaves every workspace when an account is deleted; refused while the user owns one. */
  async leaveAll(userId: string): Promise<void> {
    if (await this.stores.memberships.exists({ userId, role: 'OWNER' })) {
      throw conflict('You own a workspace: transfer its ownership before deleting your account.');
    }
    await this.stores.memberships.deleteMany({ userId });
  }
}

function checkName(name: string): string {
  const clean = name.trim();
  if (clean.length === 0 || clean.length > 100) throw badUserInput('The name must have 1 to 100 characters.', 'name');
  return clean;
}

function checkGrant(actorRole: WorkspaceRole, role: WorkspaceRole): void {
  if (role === 'OWNER') throw badUserInput('A workspace has one owner; transfer ownership instead.', 'role');
  if (!canManage(actorRole, role)) throw forbidden(`Only the owner can make someone ${role}.`);
}
