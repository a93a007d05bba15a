import type { Mail } from '#internal/mail';

/** The mail that carries a flow invitation's token. */
export const flowInvitationMail = (
  to: string,
  publicUrl: string,
  token: string,
  flowName: string,
  inviterName: string,
): Mail => ({
  to,
  subject: `${inviterName} shared the flow "${flowName}" with you`,
  text:
    `${inviterName} invited you to the flow "${flowName}" on UX-Flow-Engine.\n\n` +
    `Accept the invitation (signed in with this email address; it is valid for 7 days):\n` +
    `${publicUrl}/accept-flow-invitation?token=${encodeURIComponent(token)}\n\n` +
    `If you do not know ${inviterName}, ignore this mail: nothing is shared with you until you accept.\n`,
});
