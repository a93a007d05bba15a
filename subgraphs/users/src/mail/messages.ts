import type { Mail } from '#internal/mail';

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

export const emailChangeMail = (to: string, publicUrl: string, token: string): Mail => ({
  to,
  subject: 'Confirm your new email address',
  text: [
    'Your UX-Flow-Engine account is to use this email address from now on. Confirm it by opening this link',
    'within 24 hours:',
    '',
    link(publicUrl, 'confirm-email-change', token),
    '',
    'If you did not ask for this, ignore this mail: nothing changes.',
  ].join('\n'),
});

export const emailChangeNotice = (to: string, newEmail: string): Mail => ({
  to,
  subject: 'Your email address is about to change',
  text: [
    `Someone asked to change the email address of your account to ${newEmail}. It changes once the link`,
    'mailed there is opened.',
    '',
    'If this was not you, whoever did it knows your password (or signed in to your account just now):',
    'change your password, and sign out your other sessions.',
  ].join('\n'),
});

export const emailChangedNotice = (to: string, newEmail: string): Mail => ({
  to,
  subject: 'Your email address has changed',
  text: [
    `Your account now uses ${newEmail}; this address no longer signs in or receives its mail.`,
    '',
    'If this was not you, reply to this mail: your account may have been taken over.',
  ].join('\n'),
});

/** After a password reset; `twoFactorToken` (with two-factor on) is the link that removes it after `delayHours`. */
export const passwordResetNotice = (
  to: string,
  publicUrl: string,
  twoFactorToken: string | null,
  delayHours: number,
): Mail => ({
  to,
  subject: 'Your password was reset',
  text: [
    'The password of your account was just reset with a link mailed to this address, and every session was',
    'signed out. If this was not you, reset it again at once: someone can read this mailbox.',
    ...(twoFactorToken
      ? [
          '',
          'Two-factor authentication is still on. If you have lost both your authenticator and your recovery',
          `codes, this link removes it ${delayHours === 0 ? 'at once' : `after ${delayHours} hours`} (valid 24 hours):`,
          '',
          link(publicUrl, 'reset-two-factor', twoFactorToken),
          '',
          'Signing in with two-factor before then cancels the removal.',
        ]
      : []),
  ].join('\n'),
});

export const twoFactorResetScheduledMail = (to: string, dueAt: Date): Mail => ({
  to,
  subject: 'Two-factor authentication will be removed',
  text: [
    `Two-factor authentication will be removed from your account at ${dueAt.toISOString()}, as asked by the`,
    'link of a password-reset mail. From then on, your password alone signs in.',
    '',
    'If this was not you, sign in with your authenticator (or a recovery code) before then: that cancels it.',
    'Then reset your password, since someone can read this mailbox.',
  ].join('\n'),
});

export const twoFactorRemovedMail = (to: string): Mail => ({
  to,
  subject: 'Two-factor authentication was removed',
  text: [
    'Two-factor authentication was removed from your account, as asked by the link of a password-reset mail.',
    'Turn it on again once you can.',
  ].join('\n'),
});

export const twoFactorResetCancelledMail = (to: string): Mail => ({
  to,
  subject: 'Two-factor authentication stays on',
  text: [
    'Someone signed in to your account with two-factor authentication, so its removal, asked by the link',
    'of a password-reset mail, is cancelled.',
  ].join('\n'),
});
