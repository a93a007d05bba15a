import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

export interface UserRecord {
  email: string;
  name: string;
  passwordHash: string;
  /**
   * False while the password is one nobody knows (accounts a sign-in provider made, until
   * a password reset): such an account confirms sensitive changes by a recent sign-in.
   */
  hasPassword: boolean;
  /** Set by following the link of a verification (or password-reset) mail. */
  emailVerified: boolean;
  /**
   * The provider (`saml:<workspaceId>`) that created the account for an email nobody had
   * proven; null once the email is proven (see AccountReclaim) and for every other account.
   */
  createdByProvider: string | null;
  /** Whether log-in asks for a TOTP (or recovery) code. */
  twoFactorEnabled: boolean;
  /** The confirmed TOTP secret, sealed by SecretBox; set exactly when enabled. */
  twoFactorSecret: string | null;
  /** A secret enrolled but not confirmed yet, sealed by SecretBox. */
  twoFactorPendingSecret: string | null;
  /** When two-factor is removed, as asked by the link of a password-reset notice (see TwoFactorReset). */
  twoFactorResetAt: Date | null;
  createdAt: Date;
}

export type UserDocument = HydratedDocument<UserRecord>;
export type UserModel = Model<UserRecord>;

const userSchema = new Schema<UserRecord>(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    passwordHash: { type: String, required: true },
    // Accounts stored before it was recorded need their password (a reset sets one).
    hasPassword: { type: Boolean, default: true },
    // Defaults also fill these in for accounts stored before the fields existed.
    emailVerified: { type: Boolean, default: false },
    createdByProvider: { type: String, default: null },
    twoFactorEnabled: { type: Boolean, default: false },
    twoFactorSecret: { type: String, default: null },
    twoFactorPendingSecret: { type: String, default: null },
    twoFactorResetAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export const createUserModel = (db: Connection): UserModel => db.model<UserRecord>('User', userSchema, 'users');
