import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const emailRules = {
  Mutation: {
    requestEmailVerification: isSignedIn,
    // Links are opened signed out (or on another device): the token is the credential.
    verifyEmail: allow,
    requestPasswordReset: allow,
    resetPassword: allow,
    requestEmailChange: isSignedIn,
    confirmEmailChange: allow,
  },
};
