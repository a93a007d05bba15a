import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput, notFound } from '../../../../internal/errors/index.js';
import type { FlowsContext } from '../context.js';
import { findVisibleFlow, requireIdentity } from '../flow/flow.access.js';
import type { FlowContent } from '../flow/flow.mapper.js';
import { toFlow } from '../flow/flow.mapper.js';
import type { FlowDocument } from '../flow/flow.model.js';
import { Flow } from '../flow/flow.type.js';
import {
  analyzeFlow,
  exportFlow,
  importFlowDocument,
  layoutFlow,
  layoutOps,
  validateFlow,
  type FlowGraph,
} from '../graph/index.js';
import { LIMITS } from '../ops/applyOps.js';
import { FlowOpKind, type FlowOpInput } from '../ops/ops.input.js';
import { FlowOpsResult } from '../ops/ops.type.js';
import { ExportFormat, FlowAnalytics, FlowProblem, ImportFlowInput, LayoutDirection } from './graphApi.type.js';

/** A flow's content as the pure graph functions take it. */
export const toGraph = (content: FlowContent): FlowGraph => ({
  nodes: content.nodes.map((node) => ({
    id: node.id,
    type: node.type,
    label: node.label,
    position: { x: node.x, y: node.y },
    size: node.size ?? null,
    data: node.data === null ? null : (JSON.parse(node.data) as unknown),
  })),
  edges: content.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    label: edge.label,
    condition: edge.condition ?? null,
  })),
});

/** The ops that build `graph` from an empty flow: nodes first, so every edge finds its ends. */
export function buildOps(graph: FlowGraph): FlowOpInput[] {
  return [
    ...graph.nodes.map((node): FlowOpInput => ({
      kind: FlowOpKind.ADD_NODE,
      node: {
        id: node.id,
        type: node.type,
        label: node.label,
        position: node.position,
        size: node.size ?? null,
        // No data is no field at all: an explicit JSON null would be stored as data.
        ...(node.data == null ? {} : { data: node.data }),
      },
    })),
    ...graph.edges.map((edge): FlowOpInput => ({
      kind: FlowOpKind.ADD_EDGE,
      edge: {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: edge.label ?? null,
        condition: edge.condition ?? null,
      },
    })),
  ];
}

const inBatches = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function visibleContent(context: FlowsContext, id: string): Promise<{ flow: FlowDocument; graph: FlowGraph }> {
  const flow = await findVisibleFlow(context, id);
  if (!flow) throw notFound('There is no flow with this id.');
  return { flow, graph: toGraph(await context.collab.read(id)) };
}

/** What the graph functions offer, as GraphQL: validation, analytics, export, import, layout. */
@Resolver()
export class GraphApiResolver {
  @Query(() => [FlowProblem], { description: 'What is wrong with a flow (empty when nothing is).' })
  async validateFlow(@Arg('id', () => ID) id: string, @Ctx() context: FlowsContext): Promise<FlowProblem[]> {
    const { graph } = await visibleContent(context, id);
    return validateFlow(graph);
  }

  @Query(() => FlowAnalytics, { description: 'Counts, paths, branching and the expected steps to complete.' })
  async flowAnalytics(@Arg('id', () => ID) id: string, @Ctx() context: FlowsContext): Promise<FlowAnalytics> {
    const { graph } = await visibleContent(context, id);
    const analytics = analyzeFlow(graph);
    return {
      ...analytics,
      nodesByType: Object.entries(analytics.nodesByType).map(([type, count]) => ({ type, count })),
    };
  }

  @Query(() => String, { description: 'The flow as text in `format`; SVG is laid out and self-contained.' })
  async exportFlow(
    @Arg('id', () => ID) id: string,
    @Arg('format', () => ExportFormat) format: ExportFormat,
    @Ctx() context: FlowsContext,
  ): Promise<string> {
    const { flow, graph } = await visibleContent(context, id);
    return (await exportFlow(graph, format, flow.name)).content;
  }

  @Directive('@authenticated')
  @Mutation(() => Flow, {
    description:
      'Creates a flow from exported JSON or Mermaid text. Bad input is BAD_USER_INPUT with the line (Mermaid) or ' +
      'path (JSON) and nothing is created.',
  })
  async importFlow(
    @Arg('input', () => ImportFlowInput) input: ImportFlowInput,
    @Ctx() context: FlowsContext,
  ): Promise<Flow> {
    const { userId } = requireIdentity(context);
    // All of the checking happens here, before anything is stored.
    const imported = importFlowDocument(input.text, input.format);
    const name = (input.name ?? imported.name ?? 'Imported flow').trim().slice(0, 200) || 'Imported flow';
    const doc = await context.flows.create({
      name,
      description: null,
      ownerId: userId,
      workspaceId: input.workspaceId ?? null,
      version: 0,
      nodes: [],
      edges: [],
    });
    const flowId = doc.id as string;
    let content: FlowContent | undefined;
    try {
      // Nobody else knows the new flow yet: its batches are seen only once all are in.
      for (const ops of inBatches(buildOps(imported.graph), LIMITS.opsPerCall)) {
        content = (await context.collab.applyOps(flowId, ops, { clientId: 'import', authorId: userId })).content;
      }
    } catch (error) {
      // Nothing half-imported stays visible.
      await context.flows.deleteOne({ _id: doc._id });
      throw error;
    }
    return toFlow(doc, content);
  }

  @Directive('@authenticated')
  @Mutation(() => FlowOpsResult, {
    description:
      'Lays the flow out (layered, elkjs) and applies the moves as ops, so every collaborator sees it move. ' +
      'Large flows are moved in batches of 500 ops, one version each.',
  })
  async layoutFlow(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('direction', () => LayoutDirection, { nullable: true }) direction: LayoutDirection | null | undefined,
    @Arg('clientId', () => String, { nullable: true }) clientId: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowOpsResult> {
    const { userId } = requireIdentity(context);
    if (clientId != null && clientId.length > 128)
      throw badUserInput('clientId has at most 128 characters.', 'clientId');
    const { flow, graph } = await visibleContent(context, flowId);
    const layout = await layoutFlow(graph, { direction: direction ?? LayoutDirection.DOWN });
    const moves = layoutOps(graph, layout.positions) as unknown as FlowOpInput[];
    let content = await context.collab.read(flowId);
    for (const ops of inBatches(moves, LIMITS.opsPerCall)) {
      content = (await context.collab.applyOps(flowId, ops, { clientId: clientId ?? null, authorId: userId })).content;
    }
    return { flow: toFlow(flow, content), version: content.version };
  }
}
