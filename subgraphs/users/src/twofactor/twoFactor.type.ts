import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A TOTP secret waiting for `confirmTwoFactor`; shown only now.' })
export class TwoFactorEnrollment {
  @Field(() => String, { description: 'Base32, for typing into an authenticator app.' })
  secret!: string;

  @Field(() => String, { description: 'An `otpauth://totp/...` URI, for a QR code.' })
  otpauthUri!: string;
}

@ObjectType({ description: 'Single-use codes that stand in for a TOTP code; shown only once.' })
export class RecoveryCodes {
  @Field(() => [String])
  codes!: string[];
}
