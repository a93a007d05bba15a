import type { GraphQLSchema } from 'graphql';
import { CollabResolver } from './api/collab/collab.resolver.js';
import { collabRules } from './api/collab/collab.rules.js';
import { asTypeGraphqlPubSub, type PubSub } from '#internal/pubsub';
import { applyRules, buildFederatedSchema } from '#internal/subgraph';
import { flowReference } from './api/flow/flow.reference.js';
import { FlowResolver } from './api/flow/flow.resolver.js';
import { FlowLifecycleResolver } from './api/flow/flowLifecycle.resolver.js';
import { flowRules } from './api/flow/flow.rules.js';
import { OpsResolver } from './api/ops/ops.resolver.js';
import { opsRules } from './api/ops/ops.rules.js';
import { GraphApiResolver } from './api/graph/graph.resolver.js';
import { graphApiRules } from './api/graph/graph.rules.js';
import { VersionsResolver } from './api/versions/versions.resolver.js';
import { versionsRules } from './api/versions/versions.rules.js';
import { PresenceResolver } from './api/presence/presence.resolver.js';
import { presenceRules } from './api/presence/presence.rules.js';
import { SharingResolver } from './api/sharing/sharing.resolver.js';
import { sharingRules } from './api/sharing/sharing.rules.js';

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
