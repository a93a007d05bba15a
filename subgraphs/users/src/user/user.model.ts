import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

export interface UserRecord {
  email: string;
  name: string;
  passwordHash: string;
  createdAt: Date;
}

export type UserDocument = HydratedDocument<UserRecord>;
export type UserModel = Model<UserRecord>;

const userSchema = new Schema<UserRecord>(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    passwordHash: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export const createUserModel = (db: Connection): UserModel => db.model<UserRecord>('User', userSchema, 'users');
