import { allow } from 'graphql-shield';
import { hasFlowRole } from '../flow/flow.rules.js';

export const collabRules = {
  Query: { flowSync: hasFlowRole('VIEWER', (args) => args['flowId']) },
  Mutation: { pushFlowUpdate: hasFlowRole('EDITOR', (args) => args['flowId']) },
  FlowSync: allow,
};
