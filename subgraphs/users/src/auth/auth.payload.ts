import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.type.js';

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <accessToken>`; short-lived.' })
  accessToken!: string;

  @Field(() => String, {
    description: 'Opaque. Exchange it for a new pair with `refreshToken`; it works once.',
  })
  refreshToken!: string;

  @Field(() => User)
  user!: User;
}
