// What the caller makes through the API before the engine is seeded around it.
import { gql } from '#internal/testkit';
import { flowOps } from './content.js';

/** The caller's workspace (so the OWNER membership is real) and one flow in it with a document. */
export async function createCallerWorld(url: string, token: string): Promise<{ workspaceId: string; flowId: string }> {
  const workspace = await gql<{ createWorkspace: { id: string } }>(
    url,
    /* GraphQL */ `
      mutation ($input: CreateWorkspaceInput!) {
        createWorkspace(input: $input) {
          id
        }
      }
    `,
    { input: { name: 'Scale Workspace' } },
    token,
  );
  const workspaceId = workspace.data?.createWorkspace.id;
  if (!workspaceId) throw new Error(`createWorkspace failed: ${JSON.stringify(workspace.errors)}`);
  const created = await gql<{ createFlow: { id: string } }>(
    url,
    /* GraphQL */ `
      mutation ($input: CreateFlowInput!) {
        createFlow(input: $input) {
          id
        }
      }
    `,
    { input: { name: 'Checkout', description: 'Checkout path for returning customers', workspaceId } },
    token,
  );
  const flowId = created.data?.createFlow.id;
  if (!flowId) throw new Error(`createFlow failed: ${JSON.stringify(created.errors)}`);
  const applied = await gql<{ applyFlowOps: { version: number } }>(
    url,
    /* GraphQL */ `
      mutation ($flowId: ID!, $ops: [FlowOpInput!]!) {
        applyFlowOps(flowId: $flowId, ops: $ops) {
          version
        }
      }
    `,
    { flowId, ops: flowOps() },
    token,
  );
  if (!applied.data?.applyFlowOps) throw new Error(`applyFlowOps failed: ${JSON.stringify(applied.errors)}`);
  return { workspaceId, flowId };
}
