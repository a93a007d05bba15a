import { allow } from 'graphql-shield';
import { ROUTER } from '#internal/auth';
import { isService } from '#internal/subgraph';

/** The domains that keep content per workspace ask who belongs where. */
const CONTENT_SERVICES = ['flows', 'knowledge', 'cognition', 'billing'];

export const serviceApiRules = {
  Query: {
    workspaceGrantsOf: isService(...CONTENT_SERVICES),
    accountOf: isService('flows'),
    liveSessions: isService(ROUTER),
  },
  Subscription: { sessionRevocations: isService(ROUTER) },
  WorkspaceGrant: allow,
  AccountFacts: allow,
};
