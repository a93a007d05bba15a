import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An AI provider and where it stands in the failover order.' })
export class AiProvider {
  @Field(() => String, { description: 'gemini, openai, anthropic or local (offline, deterministic).' })
  name!: string;

  @Field(() => Boolean, { description: 'Whether it has credentials and will be tried.' })
  configured!: boolean;

  @Field(() => Int, { description: 'Position in the failover order, from 1.' })
  priority!: number;
}
