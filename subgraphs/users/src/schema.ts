import type { GraphQLSchema } from 'graphql';
import { asTypeGraphqlPubSub, type PubSub } from '#internal/pubsub';
import { applyRules, buildFederatedSchema } from '#internal/subgraph';
import { AccountResolver } from './account/account.resolver.js';
import { AccountDeletionResolver } from './accountDeletion/accountDeletion.resolver.js';
import { accountDeletionRules } from './accountDeletion/accountDeletion.rules.js';
import { EmailResolver } from './account/email.resolver.js';
import { EmailChangeResolver } from './account/emailChange.resolver.js';
import { emailRules } from './account/email.rules.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { authRules } from './auth/auth.rules.js';
import { SessionResolver } from './session/session.resolver.js';
import { ServiceApiResolver } from './serviceApi/serviceApi.resolver.js';
import { serviceApiRules } from './serviceApi/serviceApi.rules.js';
import { WorkspaceSamlResolver } from './sso/saml/workspaceSaml.resolver.js';
import { SsoResolver } from './sso/sso.resolver.js';
import { ssoRules } from './sso/sso.rules.js';
import { sessionRules } from './session/session.rules.js';
import { TwoFactorResolver } from './twofactor/twoFactor.resolver.js';
import { twoFactorRules } from './twofactor/twoFactor.rules.js';
import { userReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';
import { userRules } from './user/user.rules.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { auditRules } from './audit/audit.rules.js';
import { workspaceReference } from './workspace/workspace.reference.js';
import { WorkspaceResolver } from './workspace/workspace.resolver.js';
import { workspaceRules } from './workspace/workspace.rules.js';

export async function buildUsersSchema(pubsub: PubSub): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    {
      resolvers: [
        UserResolver,
        AuthResolver,
        SessionResolver,
        AccountResolver,
        TwoFactorResolver,
        EmailResolver,
        EmailChangeResolver,
        WorkspaceResolver,
        AuditResolver,
        SsoResolver,
        WorkspaceSamlResolver,
        ServiceApiResolver,
        AccountDeletionResolver,
      ],
      pubSub: asTypeGraphqlPubSub(pubsub),
    },
    { User: userReference, Workspace: workspaceReference },
  );
  return applyRules(schema, {
    ...userRules,
    ...authRules,
    ...sessionRules,
    ...twoFactorRules,
    ...emailRules,
    ...workspaceRules,
    ...auditRules,
    ...ssoRules,
    ...serviceApiRules,
    ...accountDeletionRules,
    Query: {
      ...userRules.Query,
      ...sessionRules.Query,
      ...workspaceRules.Query,
      ...auditRules.Query,
      ...ssoRules.Query,
      ...serviceApiRules.Query,
      ...accountDeletionRules.Query,
    },
    Subscription: serviceApiRules.Subscription,
    Mutation: {
      ...authRules.Mutation,
      ...sessionRules.Mutation,
      ...twoFactorRules.Mutation,
      ...emailRules.Mutation,
      ...workspaceRules.Mutation,
      ...ssoRules.Mutation,
      ...accountDeletionRules.Mutation,
    },
  });
}
