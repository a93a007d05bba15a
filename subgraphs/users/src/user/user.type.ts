import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person with an account.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;

  // No router rule: sign-up and log-in responses show it to the user they authenticate;
  // the resolver allows only the user itself and the admins of their workspaces.
  @Field(() => String, { description: 'Readable only by the user itself and the admins of their workspaces.' })
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean, {
    description: 'Whether the email was verified by a mailed link. Readable only by the user itself.',
  })
  emailVerified!: boolean;

  @Field(() => Boolean, { description: 'Whether log-in asks for a TOTP code. Readable only by the user itself.' })
  twoFactorEnabled!: boolean;

  @Field(() => Boolean, {
    description:
      'Whether the account has a password: one made by a sign-in provider has none until a password reset, and ' +
      'confirms sensitive changes by signing in again instead. Readable only by the user itself.',
  })
  hasPassword!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The sign-in provider that created the account (`saml:<workspaceId>`) for an email nobody had proven; null ' +
      'once the email is proven, which takes the account back from that provider. Readable only by the user itself.',
  })
  createdByProvider!: string | null;
}
