import { Field, InputType } from 'type-graphql';

@InputType()
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  password!: string;

  @Field(() => String)
  name!: string;
}

@InputType()
export class LogInInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true, description: 'The current two-factor code, when enabled.' })
  totp?: string;
}
