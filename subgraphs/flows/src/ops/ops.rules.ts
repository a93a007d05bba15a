import { allow } from 'graphql-shield';
import { hasFlowRole } from '../flow/flow.rules.js';

export const opsRules = {
  Mutation: { applyFlowOps: hasFlowRole('EDITOR', (args) => args['flowId']) },
  // At subscribe time; the resolver re-checks before every event.
  Subscription: { flowEvents: hasFlowRole('VIEWER', (args) => args['flowId']) },
  FlowOpsResult: allow,
  FlowOp: allow,
  FlowEvent: allow,
  // Reached only through a visible flow or its events.
  Size: allow,
};
