import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Workspace } from '../workspace/workspace.type.js';

@ObjectType({ description: "A document of a knowledge base (personal or a workspace's), used to ground the AI." })
@Directive('@key(fields: "id")')
export class KnowledgeDocument {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Workspace, { nullable: true, description: 'The workspace it belongs to; null for a personal one.' })
  workspace!: Workspace | null;
}

@InputType()
export class AddKnowledgeInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  title!: string;

  @Field(() => String, { description: 'The text, at most 1 MB.' })
  content!: string;

  @Field(() => ID, { nullable: true, description: 'Add it to this workspace (needs EDITOR there).' })
  workspaceId?: string | null;
}
