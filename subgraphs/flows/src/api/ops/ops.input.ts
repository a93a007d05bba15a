import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, InputType, registerEnumType } from 'type-graphql';

export enum FlowOpKind {
  ADD_NODE = 'ADD_NODE',
  UPDATE_NODE = 'UPDATE_NODE',
  MOVE_NODE = 'MOVE_NODE',
  DELETE_NODE = 'DELETE_NODE',
  ADD_EDGE = 'ADD_EDGE',
  UPDATE_EDGE = 'UPDATE_EDGE',
  DELETE_EDGE = 'DELETE_EDGE',
}
registerEnumType(FlowOpKind, { name: 'FlowOpKind' });

@InputType()
export class PositionInput {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;
}

@InputType()
export class SizeInput {
  @Field(() => Float)
  width!: number;

  @Field(() => Float)
  height!: number;
}

@InputType({ description: 'Fields absent on an update are left alone; `size: null` restores the default size.' })
export class FlowNodeInput {
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
export class FlowEdgeInput {
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
export class FlowOpInput {
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
