import { allow } from 'graphql-shield';
import { isSignedInOrFanOut } from '#internal/subgraph';
import { hasFlowRole } from '../flow/flow.rules.js';

export const opsRules = {
  Mutation: { applyFlowOps: hasFlowRole('EDITOR', (args) => args['flowId']) },
  // Shield runs a subscription field's rule on every event too: the flow's visibility is
  // checked where the subscription starts (NOT_FOUND) and then, cached, before each event
  // (for the router's fan-out subscription, by the router for each subscriber).
  Subscription: { flowEvents: isSignedInOrFanOut },
  FlowOpsResult: allow,
  FlowOp: allow,
  FlowEvent: allow,
  // Reached only through a visible flow or its events.
  Size: allow,
};
