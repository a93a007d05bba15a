import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const ssoRules = {
  Query: {
    // The workspace role (ADMIN) is checked by the resolver against the store.
    workspaceSaml: isSignedIn,
  },
  Mutation: {
    // A way in, like `logIn`: the code is the credential.
    exchangeLoginCode: allow,
    configureWorkspaceSaml: isSignedIn,
    disableWorkspaceSaml: isSignedIn,
  },
  WorkspaceSaml: allow,
};
