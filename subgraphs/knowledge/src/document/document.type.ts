import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: "A document of the caller's knowledge base, used to ground the AI." })
@Directive('@key(fields: "id")')
export class KnowledgeDocument {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Date)
  createdAt!: Date;
}
