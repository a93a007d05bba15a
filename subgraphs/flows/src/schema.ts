import type { GraphQLSchema } from 'graphql';
import { CollabResolver } from './collab/collab.resolver.js';
import { collabRules } from './collab/collab.rules.js';
import { asTypeGraphqlPubSub, type PubSub } from '#internal/pubsub';
import { applyRules, buildFederatedSchema } from '#internal/subgraph';
import { flowReference } from './flow/flow.reference.js';
import { FlowResolver } from './flow/flow.resolver.js';
import { FlowLifecycleResolver } from './flow/flowLifecycle.resolver.js';
import { flowRules } from './flow/flow.rules.js';
import { OpsResolver } from './ops/ops.resolver.js';
import { opsRules } from './ops/ops.rules.js';
import { GraphApiResolver } from './graphApi/graphApi.resolver.js';
import { graphApiRules } from './graphApi/graphApi.rules.js';
import { VersionsResolver } from './versions/versions.resolver.js';
import { versionsRules } from './versions/versions.rules.js';
import { PresenceResolver } from './presence/presence.resolver.js';
import { presenceRules } from './presence/presence.rules.js';
import { SharingResolver } from './sharing/sharing.resolver.js';
import { sharingRules } from './sharing/sharing.rules.js';

export async function buildFlowsSchema(pubsub: PubSub): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    {
      resolvers: [
        FlowResolver,
        FlowLifecycleResolver,
        OpsResolver,
        CollabResolver,
        SharingResolver,
        PresenceResolver,
        GraphApiResolver,
        VersionsResolver,
      ],
      pubSub: asTypeGraphqlPubSub(pubsub),
    },
    { Flow: flowReference },
  );
  return applyRules(schema, {
    ...flowRules,
    ...opsRules,
    ...collabRules,
    ...sharingRules,
    ...presenceRules,
    ...graphApiRules,
    ...versionsRules,
    Query: {
      ...flowRules.Query,
      ...collabRules.Query,
      ...sharingRules.Query,
      ...graphApiRules.Query,
      ...versionsRules.Query,
    },
    Mutation: {
      ...flowRules.Mutation,
      ...opsRules.Mutation,
      ...collabRules.Mutation,
      ...sharingRules.Mutation,
      ...presenceRules.Mutation,
      ...graphApiRules.Mutation,
      ...versionsRules.Mutation,
    },
    Subscription: { ...opsRules.Subscription, ...presenceRules.Subscription },
  });
}
