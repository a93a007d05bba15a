// Small steps the probes share: making flows and watching what a subscription delivers.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'graphql-ws';
import type { ProbeClient, SignedUp } from './target.js';

/** A flow of `owner`'s with `edits` versions written, so it has a history to leak. */
export async function flowWithHistory(client: ProbeClient, owner: SignedUp, edits = 2): Promise<string> {
  const created = await client.gql<{ createFlow: { id: string } }>(
    /* GraphQL */ `
      mutation ($input: CreateFlowInput!) {
        createFlow(input: $input) {
          id
        }
      }
    `,
    { input: { name: 'Secret roadmap' } },
    owner.token,
  );
  const flowId = created.data?.createFlow.id;
  assert.ok(flowId, `createFlow failed: ${JSON.stringify(created.errors)}`);
  for (let i = 0; i < edits; i += 1) {
    const applied: { errors?: unknown } = await client.gql(
      /* GraphQL */ `
        mutation ($flowId: ID!, $ops: [FlowOpInput!]!) {
          applyFlowOps(flowId: $flowId, ops: $ops) {
            version
          }
        }
      `,
      { flowId, ops: [{ kind: 'ADD_NODE', node: { id: `secret-${i}`, type: 'screen', label: `Secret ${i}` } }] },
      owner.token,
    );
    assert.equal(applied.errors, undefined, `applyFlowOps failed: ${JSON.stringify(applied.errors)}`);
  }
  return flowId;
}

export interface Delivered {
  data: unknown[];
  errors: { message: string; extensions?: Record<string, unknown> }[];
  /** A close code when the socket was closed instead. */
  closed?: number;
}

/** Everything `client` delivers for `payload` within `ms` (or until it ends). */
export async function collect(
  client: Client,
  payload: { query: string; variables?: Record<string, unknown>; operationName?: string },
  ms = 2_500,
): Promise<Delivered> {
  const delivered: Delivered = { data: [], errors: [] };
  let ended = false;
  const stop = client.subscribe(payload, {
    next: (message) => {
      if (message.data) delivered.data.push(message.data);
      if (message.errors) delivered.errors.push(...(message.errors as Delivered['errors']));
    },
    error: (error) => {
      ended = true;
      if (Array.isArray(error)) delivered.errors.push(...(error as Delivered['errors']));
      else if (typeof (error as { code?: unknown }).code === 'number')
        delivered.closed = (error as { code: number }).code;
      else delivered.errors.push({ message: String((error as Error).message ?? error) });
    },
    complete: () => {
      ended = true;
    },
  });
  for (let waited = 0; waited < ms && !ended; waited += 50) await sleep(50);
  stop();
  await client.dispose();
  return delivered;
}

export const codesOf = (delivered: { errors?: { extensions?: Record<string, unknown> }[] }): unknown[] =>
  (delivered.errors ?? []).map((error) => error.extensions?.['code']);
