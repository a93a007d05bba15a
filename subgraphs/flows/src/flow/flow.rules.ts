import { allow } from 'graphql-shield';
import { isSignedIn } from '../../../../internal/subgraph/index.js';

/**
 * Who may call what. Visibility of a given flow (owner only, until workspaces land) is
 * decided where the flow is loaded (`flow.access.ts`), so a flow the caller may not see
 * looks exactly like one that does not exist.
 */
export const flowRules = {
  Query: { flow: allow, flows: isSignedIn },
  Mutation: { createFlow: isSignedIn },
  // Values of these types are only ever reached through a visible flow.
  Flow: allow,
  FlowNode: allow,
  FlowEdge: allow,
  Position: allow,
  User: allow,
  FlowConnection: allow,
  FlowConnectionEdge: allow,
  PageInfo: allow,
};
