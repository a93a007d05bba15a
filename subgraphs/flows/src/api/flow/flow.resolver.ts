import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { Arg, Ctx, Directive, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { FlowsContext } from '../../context.js';
import { findVisibleFlow, requireIdentity, visibleFlowsFilter } from './flow.access.js';
import { FlowConnection } from './flow.connection.js';
import { createFlow } from './flow.create.js';
import { filterConditions, FlowFilter, FlowOrder, listFlows } from './flow.list.js';
import { CreateFlowInput } from './flow.input.js';
import { listingContent, toFlow, type ListingCopy } from './flow.mapper.js';
import { Flow } from './flow.type.js';

@Resolver(() => Flow)
export class FlowResolver {
  @Query(() => Flow, { nullable: true, description: 'Null if it does not exist or the caller may not see it.' })
  async flow(
    @Arg('id', () => ID) id: string,
    @Ctx() context: FlowsContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Flow | null> {
    const flow = await findVisibleFlow(context, id);
    if (!flow) return null;
    // The content comes from the flow's document: everything acknowledged is in it. Not read
    // when not asked for (access checks such as the router's guard of flowEvents).
    return selectsContent(info) ? toFlow(flow, await context.collab.read(id)) : toFlow(flow);
  }

  @Directive('@authenticated')
  @Query(() => FlowConnection, {
    description:
      "The flows the caller can see (personal, their workspaces', shared with them), newest first unless " +
      '`orderBy` says otherwise; `filter` narrows them down.',
  })
  async flows(
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Only the flows of this workspace.' })
    workspaceId: string | null | undefined,
    @Arg('filter', () => FlowFilter, { nullable: true }) filter: FlowFilter | null | undefined,
    @Arg('orderBy', () => FlowOrder, { nullable: true }) orderBy: FlowOrder | null | undefined,
    @Ctx() context: FlowsContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<FlowConnection> {
    const identity = requireIdentity(context);
    // A workspace the caller is not in filters to nothing, like one that does not exist.
    const visible = await visibleFlowsFilter(context, identity);
    const conditions = [visible, ...filterConditions(filter)];
    if (workspaceId) conditions.push({ workspaceId });
    const page = await listFlows(context.flows, conditions, orderBy, first, after, (doc) => doc);
    // Content lives apart from the records: read only when the page shows it.
    const copies = pageSelectsContent(info)
      ? await context.collab.listingsOf(page.edges.map(({ node }) => node.id as string))
      : new Map<string, ListingCopy>();
    return {
      ...page,
      edges: page.edges.map(({ node, cursor }) => ({
        node: toFlow(node, listingContent(node, copies.get(node.id as string))),
        cursor,
      })),
    };
  }

  @Directive('@authenticated')
  @Mutation(() => Flow, { description: 'Creates an empty flow, personal or in a workspace where you are EDITOR.' })
  async createFlow(
    @Arg('input', () => CreateFlowInput) input: CreateFlowInput,
    @Ctx() context: FlowsContext,
  ): Promise<Flow> {
    const { userId } = requireIdentity(context);
    // The role in `workspaceId` is checked by the shield rule before this runs.
    return createFlow(context, userId, input);
  }
}

const CONTENT_FIELDS = new Set(['version', 'nodes', 'edges']);

/** Whether these selections may read `fields`: one of them, or any fragment (not looked into). */
const reads = (selections: readonly SelectionNode[] | undefined, fields: ReadonlySet<string>): boolean =>
  selections?.some((selection) => selection.kind !== Kind.FIELD || fields.has(selection.name.value)) ?? true;

/** Whether a `Flow` selection may read content. */
function selectsContent(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) => reads(node.selectionSet?.selections, CONTENT_FIELDS));
}

const LISTING_CONTENT_FIELDS = new Set(['nodes', 'edges']);

/** Whether a page of flows may show content: `edges { node { nodes | edges } }`, or a fragment on the way. */
function pageSelectsContent(info: GraphQLResolveInfo): boolean {
  const at = (selections: readonly SelectionNode[] | undefined, name: string): SelectionNode[] =>
    (selections ?? []).filter((selection) => selection.kind !== Kind.FIELD || selection.name.value === name);
  return info.fieldNodes.some((page) =>
    at(page.selectionSet?.selections, 'edges').some(
      (edges) =>
        edges.kind !== Kind.FIELD ||
        at(edges.selectionSet?.selections, 'node').some(
          (node) => node.kind !== Kind.FIELD || reads(node.selectionSet?.selections, LISTING_CONTENT_FIELDS),
        ),
    ),
  );
}
