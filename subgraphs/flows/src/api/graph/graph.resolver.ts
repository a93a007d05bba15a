import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { notFound } from '#internal/errors';
import type { FlowsContext } from '../../context.js';
import { findVisibleFlow, requireIdentity } from '../flow/flow.access.js';
import { createFlow } from '../flow/flow.create.js';
import { toFlow } from '../flow/flow.mapper.js';
import type { FlowDocument } from '../../store/flow.model.js';
import { Flow } from '../flow/flow.type.js';
import {
  analyzeFlow,
  exportFlow,
  importFlowDocument,
  layoutFlow,
  layoutOps,
  validateFlow,
  type FlowGraph,
  toGraph,
} from '../../domain/index.js';
import { FlowOpKind, type FlowOp } from '../../domain/ops.js';
import { checkClientId } from '../ops/clientId.js';
import { FlowOpsResult } from '../ops/ops.type.js';
import { ExportFormat, FlowAnalytics, FlowProblem, ImportFlowInput, LayoutDirection } from './graph.type.js';

/** The ops that build `graph` from an empty flow: nodes first, so every edge finds its ends. */
function buildOps(graph: FlowGraph): FlowOp[] {
  return [
    ...graph.nodes.map((node): FlowOp => ({
      kind: FlowOpKind.ADD_NODE,
      node: {
        id: node.id,
        type: node.type,
        label: node.label,
        position: node.position,
        size: node.size ?? null,
        data: node.data ?? null,
      },
    })),
    ...graph.edges.map((edge): FlowOp => ({
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
    return createFlow(context, userId, { name, workspaceId: input.workspaceId }, buildOps(imported.graph), 'import');
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
    const meta = { clientId: checkClientId(clientId), authorId: userId };
    const { flow, graph } = await visibleContent(context, flowId);
    const layout = await layoutFlow(graph, { direction: direction ?? LayoutDirection.DOWN });
    const moves = layoutOps(graph, layout.positions) as unknown as FlowOp[];
    const content = await context.collab.applyInBatches(flowId, moves, meta);
    return { flow: toFlow(flow, content), version: content.version };
  }
}
