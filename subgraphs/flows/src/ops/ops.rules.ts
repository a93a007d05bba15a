import { allow } from 'graphql-shield';
import { isSignedIn } from '../../../../internal/subgraph/index.js';

export const opsRules = {
  Mutation: { applyFlowOps: isSignedIn },
  // Checked per event; the flow's visibility is checked once, when subscribing.
  Subscription: { flowEvents: isSignedIn },
  FlowOpsResult: allow,
  FlowOp: allow,
  FlowEvent: allow,
};
