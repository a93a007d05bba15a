import type { Mail } from './mailer.js';

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
