import { allow } from 'graphql-shield';
import { hasFlowRole } from '../flow/flow.rules.js';

const flowViewer = hasFlowRole('VIEWER', (args) => args['flowId']);

export const presenceRules = {
  Mutation: { updatePresence: flowViewer },
  Subscription: { flowPresence: flowViewer },
  PresenceEvent: allow,
  Cursor: allow,
};
