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

/** The description of the `password` that confirms a change to how an account is protected (see confirmCaller). */
export const CONFIRMING_PASSWORD =
  'The account password. Without it, FORBIDDEN (`reason: REAUTHENTICATION_REQUIRED`), unless the account has no ' +
  'password (made by a sign-in provider) and this session signed in within the last few minutes.';

@ArgsType()
export class RequestEmailChangeArgs {
  @Field(() => String)
  newEmail!: string;

  @Field(() => String, { nullable: true, description: CONFIRMING_PASSWORD })
  password?: string | null;
}
