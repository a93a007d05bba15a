// A deleted account leaves nothing of its own behind: what the user kept alone in the
// other domains (a personal flow and its share link, a personal knowledge document) goes
// soon after, whichever domain holds it.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Probe } from '../probe.js';
import { flowWithHistory } from '../steps.js';
import { ProbeClient } from '../target.js';

/** The consumers poll every 5 s by default; a loaded machine may need a retry or two. */
const REMOVED_WITHIN_MS = 40_000;

export const accountDeletionProbes: Probe[] = [
  {
    name: 'accountDeletion/content-removed-everywhere',
    severity: 'low',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const leaver = await client.signUp('Leaving for good');
        const flowId = await flowWithHistory(client, leaver, 2);
        const link = await client.gql<{ createFlowShareLink: { token: string } }>(
          'mutation ($f: ID!) { createFlowShareLink(flowId: $f) { token } }',
          { f: flowId },
          leaver.token,
        );
        const token = link.data?.createFlowShareLink.token;
        assert.ok(token, `createFlowShareLink failed: ${JSON.stringify(link.errors)}`);
        const added = await client.gql(
          'mutation { addKnowledge(input: { title: "Diary", content: "Private notes" }) { id } }',
          {},
          leaver.token,
        );
        assert.equal(added.errors, undefined, `addKnowledge failed: ${JSON.stringify(added.errors)}`);
        const deleted = await client.gql(
          'mutation ($p: String!) { deleteAccount(password: $p) }',
          { p: leaver.password },
          leaver.token,
        );
        assert.deepEqual(deleted.data, { deleteAccount: true }, `deleteAccount failed: ${JSON.stringify(deleted)}`);

        // The access token still verifies until it expires: what it can still read is what is left.
        let left: string[] = [];
        for (const started = Date.now(); Date.now() - started < REMOVED_WITHIN_MS; await sleep(500)) {
          const shared = await client.gql('query ($t: String!) { sharedFlow(token: $t) { id } }', { t: token });
          const mine = await client.gql('{ flows(first: 10) { edges { node { id } } } }', {}, leaver.token);
          const notes = await client.gql('{ knowledgeDocuments { id } }', {}, leaver.token);
          left = [
            ...(shared.data?.['sharedFlow'] ? ['a personal flow, through its share link'] : []),
            ...(mine.data?.['flows']?.edges.length ? ['personal flows'] : []),
            ...(notes.data?.['knowledgeDocuments']?.length ? ['personal knowledge documents'] : []),
          ];
          if (left.length === 0) return;
        }
        assert.fail(`${REMOVED_WITHIN_MS / 1000} s after the account was deleted, still there: ${left.join('; ')}`);
      } finally {
        await client.close();
      }
    },
  },
];
