import { ArgsType, Field } from 'type-graphql';
import { CONFIRMING_PASSWORD } from '../account/account.args.js';

// An args class keeps the arguments in this order in the schema (separate @Arg
// parameters come out reversed).
@ArgsType()
export class CodeAndPasswordArgs {
  @Field(() => String, { description: 'A current TOTP code or an unused recovery code.' })
  code!: string;

  @Field(() => String, { nullable: true, description: CONFIRMING_PASSWORD })
  password?: string | null;
}
