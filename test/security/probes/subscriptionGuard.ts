// A `@fanOut` subscription is checked by its guard on the root field's arguments, and then
// served from an upstream the router opened for everyone: the guard must look at the very
// field that runs, and the subgraph must refuse a stream the guard did not approve.
import assert from 'node:assert/strict';
import type { Probe } from '../probe.js';
import { codesOf, collect, flowWithHistory } from '../steps.js';
import { AssertionSigner, IDENTITY_PARAM } from '#internal/auth';
import { ProbeClient, type ProbeTarget } from '../target.js';

const REFUSALS = new Set(['NOT_FOUND', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);

/** Alice with a flow that has history (`yours`), and Mallory with one of her own (`mine`). */
async function aliceAndMallory(client: ProbeClient) {
  const alice = await client.signUp('Alice');
  const mallory = await client.signUp('Mallory');
  return { mallory, yours: await flowWithHistory(client, alice), mine: await flowWithHistory(client, mallory, 1) };
}

/** Mallory subscribes with `query` (her flow as `$mine`, Alice's as `$yours`): nothing of Alice's may arrive. */
async function tryToReadAlicesFlow(target: ProbeTarget, query: string, variables: Record<string, unknown> = {}) {
  const client = new ProbeClient(target);
  try {
    const { mallory, yours, mine } = await aliceAndMallory(client);
    const delivered = await collect(client.ws(mallory.token), { query, variables: { mine, yours, ...variables } });
    const leaked = delivered.data.filter((data) => JSON.stringify(data).includes(yours));
    assert.equal(leaked.length, 0, `Mallory received ${leaked.length} events of Alice's flow`);
    assert.ok(
      codesOf(delivered).some((code) => typeof code === 'string' && REFUSALS.has(code)),
      `the subscription was not refused: ${JSON.stringify(delivered)}`,
    );
  } finally {
    await client.close();
  }
}

export const subscriptionGuardProbes: Probe[] = [
  {
    name: 'subscription-guard/skipped-decoy',
    severity: 'critical',
    run: (target) =>
      tryToReadAlicesFlow(
        target,
        /* GraphQL */ `
          subscription ($mine: ID!, $yours: ID!) {
            decoy: flowEvents(flowId: $mine) @skip(if: true) {
              flowId
            }
            real: flowEvents(flowId: $yours, sinceVersion: 0) {
              flowId
              version
              ops {
                kind
                node {
                  label
                }
              }
            }
          }
        `,
      ),
  },
  {
    name: 'subscription-guard/skipped-decoy-by-variable',
    severity: 'critical',
    run: (target) =>
      tryToReadAlicesFlow(
        target,
        /* GraphQL */ `
          subscription ($mine: ID!, $yours: ID!, $no: Boolean!) {
            decoy: flowEvents(flowId: $mine) @include(if: $no) {
              flowId
            }
            real: flowEvents(flowId: $yours, sinceVersion: 0) {
              flowId
              version
            }
          }
        `,
        { no: false },
      ),
  },
  {
    name: 'subscription-guard/excluded-fragment-decoy',
    severity: 'critical',
    run: (target) =>
      tryToReadAlicesFlow(
        target,
        /* GraphQL */ `
          subscription ($mine: ID!, $yours: ID!) {
            ...Decoy @include(if: false)
            real: flowEvents(flowId: $yours, sinceVersion: 0) {
              flowId
              version
            }
          }
          fragment Decoy on Subscription {
            flowEvents(flowId: $mine) {
              flowId
            }
          }
        `,
      ),
  },
  {
    // Defence in depth: were the router fooled into approving one flow, the flows subgraph
    // still serves a fan-out stream only for exactly the field and arguments approved.
    name: 'subscription-guard/subgraph-serves-only-the-approved-stream',
    severity: 'critical',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const { yours, mine } = await aliceAndMallory(client);
        const secret = target.serviceEnv['JWT_SECRET'];
        assert.ok(secret, 'the probe needs the deployment secret to stand in for a fooled router');
        const approvedMine = await AssertionSigner.router(secret).sign('flows', {
          identity: null,
          clientIp: null,
          fanOut: { field: 'flowEvents', args: { flowId: mine } },
        });
        const flowsUrl = target.subgraphUrls['flows'];
        assert.ok(flowsUrl);
        const delivered = await collect(client.ws(undefined, flowsUrl, { [IDENTITY_PARAM]: approvedMine }), {
          query: 'subscription ($yours: ID!) { flowEvents(flowId: $yours, sinceVersion: 0) { flowId version } }',
          variables: { yours },
        });
        assert.equal(delivered.data.length, 0, `the subgraph streamed ${delivered.data.length} events of Alice's flow`);
        assert.ok(codesOf(delivered).includes('FORBIDDEN'), `not refused: ${JSON.stringify(delivered)}`);
        // And the approved stream itself works, so the refusal above is about the scope.
        const own = await collect(
          client.ws(undefined, flowsUrl, { [IDENTITY_PARAM]: approvedMine }),
          {
            query: 'subscription ($mine: ID!) { flowEvents(flowId: $mine, sinceVersion: 0) { flowId version } }',
            variables: { mine },
          },
          1_500,
        );
        assert.ok(own.data.length > 0, `the approved stream delivered nothing: ${JSON.stringify(own)}`);
      } finally {
        await client.close();
      }
    },
  },
];
