import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateFlowInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'At most 2000 characters.' })
  description?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The workspace to create it in (needs EDITOR there); without it the flow is personal.',
  })
  workspaceId?: string | null;
}
