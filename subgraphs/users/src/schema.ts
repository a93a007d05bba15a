import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../../internal/subgraph/index.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { userReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';

export function buildUsersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [UserResolver, AuthResolver] }, { User: userReference });
}
