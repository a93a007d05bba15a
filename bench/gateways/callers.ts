// The signed-in users bench:gateways loads the gateways as: each with a workspace of flows.
import { gql, signUp } from '#internal/testkit';
import { FLOWS_PAGE_QUERY, seedWorkspaceFlows } from '#internal/testkit';
import { presignedIdentities } from './assertions.js';

export interface Caller {
  token: string;
  workspaceId: string;
  /** One of the caller's flows. */
  flowId: string;
  /** What every request of this caller carries: its access token and, for Hive and the bare gateway, its assertions. */
  headers: () => Promise<Record<string, string>>;
}

/** `count` users, each with a workspace of `page` flows, seeded through `routerUrl`. */
export async function seedCallers(
  routerUrl: string,
  secret: string,
  subgraphs: readonly string[],
  count: number,
  page: number,
): Promise<Caller[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const user = await signUp(routerUrl, `Bench User ${index + 1}`);
      const workspaceId = await seedWorkspaceFlows(routerUrl, user.token, page);
      const listed = await gql<{ flows: { edges: { node: { id: string } }[] } }>(
        routerUrl,
        FLOWS_PAGE_QUERY,
        { workspaceId, first: page },
        user.token,
      );
      const edges = listed.data?.flows.edges ?? [];
      const flowId = edges[0]?.node.id;
      if (!flowId || edges.length !== page) throw new Error(`the page is not ${page} flows: ${JSON.stringify(listed)}`);
      const identities = presignedIdentities(secret, user.token, subgraphs);
      return {
        token: user.token,
        workspaceId,
        flowId,
        headers: async () => ({ authorization: `Bearer ${user.token}`, ...(await identities()) }),
      };
    }),
  );
}
