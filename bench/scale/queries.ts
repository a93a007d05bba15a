// The two measured operations and what a right answer to each looks like.
export const PAGE_SIZE = 20;

/** The flows page of one workspace, with who made each flow and the workspace's name. */
export const FLOWS_PAGE = /* GraphQL */ `
  query FlowsPage($workspaceId: ID!) {
    me {
      id
    }
    flows(workspaceId: $workspaceId, first: ${PAGE_SIZE}) {
      edges {
        node {
          id
          name
          updatedAt
          owner {
            id
            name
          }
          workspace {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** One flow with its owner. */
export const ONE_FLOW = /* GraphQL */ `
  query OneFlow($id: ID!) {
    flow(id: $id) {
      id
      name
      version
      owner {
        id
        name
      }
    }
  }
`;

interface Owner {
  id: string;
  name: string;
}

export interface FlowsPageData {
  me: { id: string } | null;
  flows: {
    edges: { node: { id: string; owner: Owner | null; workspace: { id: string; name: string } | null } }[];
    pageInfo: { hasNextPage: boolean };
  };
}

export interface OneFlowData {
  flow: { id: string; version: number; owner: Owner | null } | null;
}

/** What is wrong with a page of `workspaceId` that should hold `expected` edges (null: nothing). */
export const pageProblem =
  (callerId: string, workspaceId: string, expected: number, more: boolean) =>
  ({ me, flows }: FlowsPageData): string | null => {
    if (me?.id !== callerId) return 'me is not the caller';
    if (flows.edges.length !== expected) return `${flows.edges.length} edges, not ${expected}`;
    if (flows.pageInfo.hasNextPage !== more) return `hasNextPage is not ${more}`;
    const stray = flows.edges.find(({ node }) => node.workspace?.id !== workspaceId || !node.owner?.name);
    return stray ? `flow ${stray.node.id} lacks its owner or workspace` : null;
  };

export const flowProblem =
  (flowId: string, ownerId: string) =>
  ({ flow }: OneFlowData): string | null =>
    flow?.id === flowId && flow.owner?.id === ownerId ? null : 'not the flow, or not its owner';
