// Sharing by user id with someone who never interacted with the sharer must neither push a
// flow on them nor reveal their name.
import assert from 'node:assert/strict';
import type { Probe } from '../probe.js';
import { flowWithHistory } from '../steps.js';
import { ProbeClient } from '../target.js';

export const sharingProbes: Probe[] = [
  {
    name: 'sharing/no-share-by-id-to-a-stranger',
    severity: 'low',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const sharer = await client.signUp('Curious sharer');
        const stranger = await client.signUp('Quentin Private-Name');
        const flowId = await flowWithHistory(client, sharer, 0);
        const shared = await client.gql(
          /* GraphQL */ `
            mutation ($flowId: ID!, $userId: ID!) {
              shareFlow(flowId: $flowId, userId: $userId, role: VIEWER) {
                role
                user {
                  id
                  name
                }
              }
            }
          `,
          { flowId, userId: stranger.id },
          sharer.token,
        );
        assert.ok(!JSON.stringify(shared).includes('Quentin'), "the share revealed the stranger's name");
        const theirs = await client.gql('{ flows(first: 50) { edges { node { id } } } }', {}, stranger.token);
        assert.ok(!JSON.stringify(theirs).includes(flowId), 'the flow was pushed on the stranger');
      } finally {
        await client.close();
      }
    },
  },
];
