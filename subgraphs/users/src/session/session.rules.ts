import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const sessionRules = {
  Query: { sessions: isSignedIn },
  Mutation: { revokeSession: isSignedIn },
  // Only the caller's own sessions are ever loaded.
  Session: allow,
};
