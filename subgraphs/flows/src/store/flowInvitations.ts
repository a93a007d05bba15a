import { createHash, randomBytes } from 'node:crypto';
import { badUserInput, conflict, forbidden, rateLimited } from '#internal/errors';
import type { FlowInvitationModel, FlowInvitationRecord } from './flowInvitation.model.js';
import type { FlowShareRole } from '../domain/shareRole.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Open invitations one flow may have. */
const MAX_OPEN_PER_FLOW = 100;
/** Invitation mails one person may send in an hour, whatever the flows: a mailbox is not a target. */
const MAX_SENT_PER_HOUR = 50;
const HOUR_MS = 3600_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

const invalid = (): Error => badUserInput('The invitation is invalid, expired or has been used already.', 'token');

/** Normalizes and checks an address; BAD_USER_INPUT on `email` when it is not one. */
export function invitationEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw badUserInput('This is not an email address.', 'email');
  return email;
}

/**
 * Sharing a flow with anyone by email, as Figma and Google Docs do: the address gets a
 * link, and only the account with that email that follows it becomes a collaborator.
 * Nobody learns from the answer whether the address has an account, or its owner's name,
 * and nothing appears for anyone until they accept.
 */
export class FlowInvitations {
  constructor(
    private readonly invitations: FlowInvitationModel,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues an invitation (replacing an older one to the same address) and returns its token, to be mailed. */
  async invite(
    flowId: string,
    email: string,
    role: FlowShareRole,
    invitedBy: string,
  ): Promise<{ token: string; invitation: FlowInvitationRecord }> {
    const now = this.now();
    const sent = await this.invitations.countDocuments({ invitedBy, createdAt: { $gt: new Date(now - HOUR_MS) } });
    if (sent >= MAX_SENT_PER_HOUR)
      throw rateLimited(HOUR_MS / 1000, `At most ${MAX_SENT_PER_HOUR} invitations an hour.`);
    await this.invitations.deleteMany({ flowId, expiresAt: { $lte: new Date(now) } });
    await this.invitations.deleteOne({ flowId, email });
    if ((await this.invitations.countDocuments({ flowId })) >= MAX_OPEN_PER_FLOW) {
      throw conflict(`The flow has ${MAX_OPEN_PER_FLOW} open invitations; revoke some first.`);
    }
    const token = randomBytes(32).toString('base64url');
    const invitation: FlowInvitationRecord = {
      _id: sha256(token),
      flowId,
      email,
      role,
      invitedBy,
      createdAt: new Date(now),
      expiresAt: new Date(now + INVITATION_TTL_MS),
    };
    await this.invitations.create(invitation);
    return { token, invitation };
  }

  /** The flow's open invitations, newest first. */
  open(flowId: string): Promise<FlowInvitationRecord[]> {
    return this.invitations
      .find({ flowId, expiresAt: { $gt: new Date(this.now()) } })
      .sort({ createdAt: -1 })
      .limit(MAX_OPEN_PER_FLOW)
      .lean();
  }

  /** Revokes one of the flow's invitations; false when it has no such invitation. */
  async revoke(flowId: string, id: string): Promise<boolean> {
    const { deletedCount } = await this.invitations.deleteOne({ _id: id, flowId });
    return deletedCount > 0;
  }

  /** Every invitation of a flow that is going away. */
  async removeFlow(flowId: string): Promise<void> {
    await this.invitations.deleteMany({ flowId });
  }

  /**
   * Spends the invitation for the account with `email`: FORBIDDEN for another address
   * (and the invitation stays), BAD_USER_INPUT when it is unknown, expired or spent.
   */
  async spend(token: string, email: string): Promise<FlowInvitationRecord> {
    if (!TOKEN.test(token)) throw invalid();
    const id = sha256(token);
    const invitation = await this.invitations.findById(id).lean();
    if (!invitation || invitation.expiresAt.getTime() <= this.now()) throw invalid();
    if (invitation.email !== email.trim().toLowerCase()) {
      throw forbidden('This invitation was sent to another email address; sign in with that account.');
    }
    // Deleting is how it is spent: of concurrent accepts exactly one deletes it.
    const { deletedCount } = await this.invitations.deleteOne({ _id: id });
    if (deletedCount !== 1) throw invalid();
    return invitation;
  }
}
