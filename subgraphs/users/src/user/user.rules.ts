import { allow } from 'graphql-shield';

export const userRules = {
  // Null when signed out (contract); the resolver reads only the caller.
  Query: { me: allow },
  // `email` is checked in its resolver: only the user itself (and the response that signs it in).
  User: allow,
};
