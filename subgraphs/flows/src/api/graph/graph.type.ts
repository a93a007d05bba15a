import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Float } from 'type-graphql';

export enum ExportFormat {
  JSON = 'JSON',
  MERMAID = 'MERMAID',
  DOT = 'DOT',
  SVG = 'SVG',
}
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'JSON (re-importable, lossless), MERMAID (re-importable), DOT (Graphviz), SVG (laid out picture).',
});

export enum ImportFormat {
  JSON = 'JSON',
  MERMAID = 'MERMAID',
}
registerEnumType(ImportFormat, { name: 'ImportFormat' });

export enum LayoutDirection {
  DOWN = 'DOWN',
  RIGHT = 'RIGHT',
}
registerEnumType(LayoutDirection, { name: 'LayoutDirection' });

@ObjectType({ description: 'Something wrong with a flow, with the nodes and edges concerned.' })
export class FlowProblem {
  @Field(() => String, {
    description:
      'MISSING_START, MISSING_END, DANGLING_EDGE, UNREACHABLE_NODE, DEAD_END, NO_PATH_TO_END, ' +
      'DECISION_NEEDS_TWO_BRANCHES, DUPLICATE_NODE_ID, DUPLICATE_EDGE_ID, INVALID_NODE_TYPE.',
  })
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => [ID])
  nodeIds!: string[];

  @Field(() => [ID])
  edgeIds!: string[];
}

@ObjectType()
export class FlowPath {
  @Field(() => [ID])
  nodeIds!: string[];

  @Field(() => Int, { description: 'Edges walked.' })
  length!: number;
}

@ObjectType()
export class NodeTypeCount {
  @Field(() => String)
  type!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'The shape of a flow: how long it is to complete, where it branches and stops.' })
export class FlowAnalytics {
  @Field(() => Int)
  nodeCount!: number;

  @Field(() => Int)
  edgeCount!: number;

  @Field(() => [NodeTypeCount])
  nodesByType!: NodeTypeCount[];

  @Field(() => FlowPath, { nullable: true, description: 'Fewest steps from a start to an end.' })
  shortestPath!: FlowPath | null;

  @Field(() => FlowPath, { nullable: true, description: 'Most steps from a start to an end without repeating a node.' })
  longestPath!: FlowPath | null;

  @Field(() => Boolean, {
    description: 'False when the search for the longest path hit its budget (large, looping flows).',
  })
  longestPathExact!: boolean;

  @Field(() => Float, { description: 'Mean number of ways out of the nodes that have one.' })
  branchingFactor!: number;

  @Field(() => [ID])
  deadEndIds!: string[];

  @Field(() => Float, {
    nullable: true,
    description: 'Expected steps from a start to an end, choosing uniformly at each branch (loops not taken).',
  })
  estimatedSteps!: number | null;

  @Field(() => Boolean)
  cyclic!: boolean;
}

@InputType()
export class ImportFlowInput {
  @Field(() => ImportFormat)
  format!: ImportFormat;

  @Field(() => String, { description: 'The exported text, at most 2 MB.' })
  text!: string;

  @Field(() => String, { nullable: true, description: 'Defaults to the name in the text, else "Imported flow".' })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'Import into this workspace (needs EDITOR there).' })
  workspaceId?: string | null;
}
