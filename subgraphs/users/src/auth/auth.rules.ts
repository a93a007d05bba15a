import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const authRules = {
  Mutation: {
    // The ways in: open to anyone, limited by the log-in limiter.
    signUp: allow,
    logIn: allow,
    refreshToken: allow,
    logOut: isSignedIn,
    changePassword: isSignedIn,
    deleteAccount: isSignedIn,
  },
  AuthPayload: allow,
};
