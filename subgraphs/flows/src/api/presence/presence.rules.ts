import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';
import { hasFlowRole } from '../flow/flow.rules.js';

const flowViewer = hasFlowRole('VIEWER', (args) => args['flowId']);

export const presenceRules = {
  Mutation: { updatePresence: flowViewer },
  // Checked where the subscription starts and, cached, per event (see ops.rules.ts).
  Subscription: { flowPresence: isSignedIn },
  PresenceEvent: allow,
  Cursor: allow,
};
