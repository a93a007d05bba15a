import { allow } from 'graphql-shield';
import { hasFlowRole } from '../flow/flow.rules.js';

const viewer = hasFlowRole('VIEWER', (args) => args['flowId']);
const editor = hasFlowRole('EDITOR', (args) => args['flowId']);

export const versionsRules = {
  Query: { flowHistory: viewer, flowDiff: viewer, flowNamedVersions: viewer },
  Mutation: { nameFlowVersion: editor, restoreFlowVersion: editor },
  FlowVersion: allow,
  FlowVersionEdge: allow,
  FlowVersionConnection: allow,
  FlowNamedVersion: allow,
  FlowDiff: allow,
  FlowNodeChange: allow,
  FlowEdgeChange: allow,
};
