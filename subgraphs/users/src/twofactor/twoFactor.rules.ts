import { allow } from 'graphql-shield';
import { isSignedIn } from '../../../../internal/subgraph/index.js';

export const twoFactorRules = {
  Mutation: { enrollTwoFactor: isSignedIn, confirmTwoFactor: isSignedIn, disableTwoFactor: isSignedIn },
  // Only ever returned to the caller who asked for them.
  TwoFactorEnrollment: allow,
  RecoveryCodes: allow,
};
