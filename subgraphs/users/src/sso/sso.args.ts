import { ArgsType, Field } from 'type-graphql';

// An args class keeps the arguments in this order in the schema.
@ArgsType()
export class ExchangeLoginCodeArgs {
  @Field(() => String, { description: 'From `#login_code=` of the redirect that ended the sign-in at the provider.' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'The current two-factor code, when the account has it on.' })
  totp?: string | null;
}
