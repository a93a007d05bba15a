import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const twoFactorRules = {
  Mutation: {
    enrollTwoFactor: isSignedIn,
    confirmTwoFactor: isSignedIn,
    disableTwoFactor: isSignedIn,
    regenerateRecoveryCodes: isSignedIn,
    // Opened from a mail, signed out: the token is the credential.
    resetTwoFactor: allow,
  },
  // Only ever returned to the caller who asked for them.
  TwoFactorEnrollment: allow,
  RecoveryCodes: allow,
};
