import type { Mail } from '../../../../internal/mail/index.js';

const link = (publicUrl: string, path: string, token: string): string =>
  `${publicUrl}/${path}?token=${encodeURIComponent(token)}`;

export const verificationMail = (to: string, publicUrl: string, token: string): Mail => ({
  to,
  subject: 'Confirm your email address',
  text: [
    'Confirm that this is your email address by opening this link within 24 hours:',
    '',
    link(publicUrl, 'verify-email', token),
    '',
    'If you did not ask for this, ignore this mail.',
  ].join('\n'),
});

export const passwordResetMail = (to: string, publicUrl: string, token: string): Mail => ({
  to,
  subject: 'Reset your password',
  text: [
    'Choose a new password by opening this link within one hour:',
    '',
    link(publicUrl, 'reset-password', token),
    '',
    'If you did not ask for this, ignore this mail: your password stays as it is.',
  ].join('\n'),
});

export const invitationMail = (
  to: string,
  publicUrl: string,
  token: string,
  workspace: string,
  inviter: string,
): Mail => ({
  to,
  subject: `${inviter} invited you to ${workspace}`,
  text: [
    `${inviter} invited you to the workspace "${workspace}". Join it within 7 days by opening this link`,
    'and signing in (or signing up) with this email address:',
    '',
    link(publicUrl, 'accept-invitation', token),
    '',
    'If you do not know what this is about, ignore this mail.',
  ].join('\n'),
});
