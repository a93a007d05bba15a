import { allow } from 'graphql-shield';
import { canCreateFlow, hasFlowRole } from '../flow/flow.rules.js';

const viewer = hasFlowRole('VIEWER', (args) => args['id']);

export const graphApiRules = {
  Query: { validateFlow: viewer, flowAnalytics: viewer, exportFlow: viewer },
  Mutation: { importFlow: canCreateFlow, layoutFlow: hasFlowRole('EDITOR', (args) => args['flowId']) },
  FlowProblem: allow,
  FlowAnalytics: allow,
  FlowPath: allow,
  NodeTypeCount: allow,
};
