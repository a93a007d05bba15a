import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, InputType, registerEnumType } from 'type-graphql';
import type { Point, Size } from '../../domain/model.js';
import { FlowOpKind, type EdgeChange, type FlowOp, type NodeChange } from '../../domain/ops.js';

registerEnumType(FlowOpKind, { name: 'FlowOpKind' });

@InputType()
export class PositionInput implements Point {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;
}

@InputType()
export class SizeInput implements Size {
  @Field(() => Float)
  width!: number;

  @Field(() => Float)
  height!: number;
}

@InputType({ description: 'Fields absent on an update are left alone; `size: null` restores the default size.' })
export class FlowNodeInput implements NodeChange {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => String, { nullable: true })
  type?: string | null;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => PositionInput, { nullable: true })
  position?: PositionInput | null;

  @Field(() => SizeInput, { nullable: true })
  size?: SizeInput | null;

  @Field(() => GraphQLJSON, { nullable: true })
  data?: unknown;
}

@InputType()
export class FlowEdgeInput implements EdgeChange {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => ID, { nullable: true })
  source?: string | null;

  @Field(() => ID, { nullable: true })
  target?: string | null;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => String, { nullable: true })
  condition?: string | null;
}

@InputType({ description: 'One edit of a flow; `nodeId`/`edgeId` name the target of updates and deletes.' })
export class FlowOpInput implements FlowOp {
  @Field(() => FlowOpKind)
  kind!: FlowOpKind;

  @Field(() => ID, { nullable: true })
  nodeId?: string | null;

  @Field(() => ID, { nullable: true })
  edgeId?: string | null;

  @Field(() => FlowNodeInput, { nullable: true })
  node?: FlowNodeInput | null;

  @Field(() => FlowEdgeInput, { nullable: true })
  edge?: FlowEdgeInput | null;
}
