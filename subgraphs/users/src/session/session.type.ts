import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A signed-in device: one log-in and the refresh tokens exchanged since.' })
export class Session {
  @Field(() => ID)
  id!: string;

  @Field(() => Date, { description: 'When the log-in (or sign-up) happened.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'The latest log-in or token refresh.' })
  lastUsedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The address the session was last used from.' })
  ip?: string | null;

  @Field(() => Boolean, { description: "Whether this is the session of the request's access token." })
  current!: boolean;
}
