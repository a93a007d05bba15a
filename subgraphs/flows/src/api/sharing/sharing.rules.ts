import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';
import { hasFlowRole } from '../flow/flow.rules.js';

const flowAdmin = hasFlowRole('ADMIN', (args) => args['flowId']);

export const sharingRules = {
  // Anyone with a link's token; the token is the credential.
  Query: { sharedFlow: allow },
  Mutation: {
    shareFlow: flowAdmin,
    inviteToFlow: flowAdmin,
    revokeFlowInvitation: flowAdmin,
    // The token is the credential; the account's email must be the invited one.
    acceptFlowInvitation: isSignedIn,
    unshareFlow: flowAdmin,
    createFlowShareLink: flowAdmin,
    revokeFlowShareLink: flowAdmin,
  },
  // Reached only through the rules on `Flow.collaborators` / `Flow.shareLinks` or the mutations above.
  FlowCollaborator: allow,
  FlowShareLink: allow,
  FlowInvitation: allow,
  CreatedFlowShareLink: allow,
};
