import { ArgsType, Field } from 'type-graphql';

// An args class keeps the arguments in this order in the schema (separate @Arg
// parameters come out reversed).
@ArgsType()
export class ChangePasswordArgs {
  @Field(() => String)
  currentPassword!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  newPassword!: string;
}

@ArgsType()
export class ResetPasswordArgs {
  @Field(() => String, { description: 'From the reset link.' })
  token!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  newPassword!: string;
}
