// The path under test: writers send `applyFlowOps` to the router over HTTP; subscribers
// hold `flowEvents(flowId)` through the router over graphql-ws, each as its own user.
import type { Client } from 'graphql-ws';
import { gql, signUp, wsClient, type TestUser } from '#internal/testkit';
import { tokenIn } from '../../test/setup/mailbox.js';
import type { CollabPath } from './driver.js';

export interface RouterPathOptions {
  routerUrl: string;
  subscribers: number;
  writers: number;
  batch: number;
  /** Also select `author { name }`, which the router completes from the users subgraph per event. */
  withAuthor: boolean;
  /** The stack's mail outbox: subscribers join the owner's workspace by the links mailed to them. */
  outbox: string;
}

const APPLY = /* GraphQL */ `
  mutation ($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {
    applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {
      version
    }
  }
`;

const events = (withAuthor: boolean): string => /* GraphQL */ `
  subscription ($flowId: ID!) {
    flowEvents(flowId: $flowId) {
      version
      clientId
      ops {
        kind
        nodeId
      }
      ${withAuthor ? 'author { name }' : ''}
    }
  }
`;

interface FlowEvent {
  version: number;
  clientId: string | null;
  ops: { kind: string; nodeId: string | null }[];
}

export const nodeId = (writer: number, index: number): string => `w${writer}n${index}`;

/** `count` at a time. */
async function inBatches<T>(count: number, total: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let from = 0; from < total; from += count) {
    const size = Math.min(count, total - from);
    results.push(...(await Promise.all(Array.from({ length: size }, (_, offset) => make(from + offset)))));
  }
  return results;
}

async function mutate<T>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await gql<T>(url, query, variables, token);
  if (!response.data || response.errors) throw new Error(JSON.stringify(response.errors ?? response));
  return response.data;
}

export interface RouterPath extends CollabPath {
  /** Errors the subscribers received (each ends its subscription). */
  readonly subscriberErrors: () => number;
}

/**
 * Signs up the flow's owner and one user per subscriber, shares the flow with each as
 * VIEWER, adds each writer's nodes, and opens the subscriptions.
 */
export async function startRouterPath(options: RouterPathOptions): Promise<RouterPath> {
  const { routerUrl: url, batch } = options;
  const owner = await signUp(url, 'Bench Owner');
  const { createFlow } = await mutate<{ createFlow: { id: string } }>(
    url,
    /* GraphQL */ `
      mutation {
        createFlow(input: { name: "Collab bench" }) {
          id
        }
      }
    `,
    {},
    owner.token,
  );
  const flowId = createFlow.id;
  const addNodes = Array.from({ length: options.writers * batch }, (_, index) => {
    const [writer, node] = [Math.floor(index / batch), index % batch];
    return {
      kind: 'ADD_NODE',
      node: { id: nodeId(writer, node), type: 'screen', label: `screen ${index}`, position: { x: 0, y: 0 } },
    };
  });
  await mutate(url, APPLY, { flowId, ops: addNodes }, owner.token);

  // The subscribers work with the owner (members of a workspace of theirs), so the personal
  // flow is shared with them by id, as collaborators. Sign-up hashes a password: a few at a time.
  const { createWorkspace } = await mutate<{ createWorkspace: { id: string } }>(
    url,
    'mutation { createWorkspace(input: { name: "Bench" }) { id } }',
    {},
    owner.token,
  );
  const viewers: TestUser[] = await inBatches(4, options.subscribers, async (index) => {
    const user = await signUp(url, `Viewer ${index}`);
    await mutate(
      url,
      'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
      { input: { workspaceId: createWorkspace.id, email: user.email, role: 'VIEWER' } },
      owner.token,
    );
    await mutate(
      url,
      'mutation ($token: String!) { acceptWorkspaceInvitation(token: $token) { id } }',
      { token: await tokenIn(options.outbox, user.email, 'accept-invitation') },
      user.token,
    );
    await mutate(
      url,
      /* GraphQL */ `
        mutation ($flowId: ID!, $userId: ID!) {
          shareFlow(flowId: $flowId, userId: $userId, role: VIEWER) {
            role
          }
        }
      `,
      { flowId, userId: user.id },
      owner.token,
    );
    return user;
  });

  let subscriberErrors = 0;
  const clients: Client[] = [];
  const path: RouterPath = {
    name: 'router',
    subscribers: options.subscribers,
    onSeen: () => undefined,
    subscriberErrors: () => subscriberErrors,
    send: async (writer, seq) => {
      const ops = Array.from({ length: batch }, (_, index) => ({
        kind: 'MOVE_NODE',
        nodeId: nodeId(writer, index),
        node: { position: { x: seq, y: index } },
      }));
      await mutate(url, APPLY, { flowId, ops, clientId: `bench:${seq}` }, owner.token);
    },
    dispose: async () => {
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
  const query = events(options.withAuthor);
  for (const viewer of viewers) {
    const client = wsClient(url, viewer.token);
    clients.push(client);
    client.subscribe<{ flowEvents: FlowEvent }>(
      { query, variables: { flowId } },
      {
        next: (result) => {
          const clientId = result.data?.flowEvents.clientId;
          if (clientId?.startsWith('bench:')) path.onSeen(Number(clientId.slice('bench:'.length)));
          if (result.errors) {
            subscriberErrors += 1;
            process.stderr.write(`bench: router subscriber: ${JSON.stringify(result.errors)}\n`);
          }
        },
        error: (error) => {
          subscriberErrors += 1;
          process.stderr.write(`bench: router subscriber failed: ${JSON.stringify(error)}\n`);
        },
        complete: () => undefined,
      },
    );
  }
  return path;
}
