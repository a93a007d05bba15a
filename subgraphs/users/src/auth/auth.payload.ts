import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.type.js';

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <accessToken>`; short-lived.' })
  accessToken!: string;

  @Field(() => String, { description: 'Exchange for a new pair with `refreshToken`.' })
  refreshToken!: string;

  @Field(() => User)
  user!: User;
}
