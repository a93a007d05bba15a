import { gql } from './gql.js';

/** A page of a workspace's flows, each with its owner and workspace, and the caller: the shape of a dashboard. */
export const FLOWS_PAGE_QUERY = /* GraphQL */ `
  query FlowsPage($workspaceId: ID!, $first: Int!) {
    me {
      id
      name
    }
    flows(workspaceId: $workspaceId, first: $first) {
      edges {
        node {
          id
          name
          owner {
            id
            name
          }
          workspace {
            id
            name
            myRole
          }
        }
      }
    }
  }
`;

/** Creates a workspace owned by the caller and `count` flows in it; returns the workspace's id. */
export async function seedWorkspaceFlows(url: string, token: string, count: number): Promise<string> {
  const workspace = await gql<{ createWorkspace: { id: string } }>(
    url,
    /* GraphQL */ `
      mutation ($input: CreateWorkspaceInput!) {
        createWorkspace(input: $input) {
          id
        }
      }
    `,
    { input: { name: 'Team' } },
    token,
  );
  const workspaceId = workspace.data?.createWorkspace.id;
  if (!workspaceId) throw new Error(`createWorkspace failed: ${JSON.stringify(workspace.errors)}`);
  for (let index = 0; index < count; index += 1) {
    const flow = await gql<{ createFlow: { id: string } }>(
      url,
      /* GraphQL */ `
        mutation ($input: CreateFlowInput!) {
          createFlow(input: $input) {
            id
          }
        }
      `,
      { input: { name: `Flow ${index + 1}`, workspaceId } },
      token,
    );
    if (!flow.data?.createFlow) throw new Error(`createFlow failed: ${JSON.stringify(flow.errors)}`);
  }
  return workspaceId;
}
