import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../user/user.type.js';

export const PresenceKind = { UPDATE: 'UPDATE', LEFT: 'LEFT' } as const;
export type PresenceKind = (typeof PresenceKind)[keyof typeof PresenceKind];
registerEnumType(PresenceKind, {
  name: 'PresenceKind',
  description: 'UPDATE: where a client is and what it selects. LEFT: the client is gone.',
});

@ObjectType()
export class Cursor {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;
}

@ObjectType({
  description:
    "A collaborator's presence on a flow. Ephemeral: never stored. Drop a client at `expiresAt` unless a newer " +
    'UPDATE arrives (clients refresh every few seconds while open); LEFT arrives when its subscription ends.',
})
export class PresenceEvent {
  @Field(() => ID)
  flowId!: string;

  @Field(() => PresenceKind)
  kind!: PresenceKind;

  @Field(() => String, { description: 'The client (tab) this is about; one user can have several.' })
  clientId!: string;

  @Field(() => User)
  user!: User;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: '`#rrggbb`.' })
  color!: string | null;

  @Field(() => Cursor, { nullable: true })
  cursor!: Cursor | null;

  @Field(() => [ID])
  selection!: string[];

  @Field(() => Date)
  expiresAt!: Date;
}

@InputType()
export class CursorInput {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;
}

@InputType()
export class PresenceInput {
  @Field(() => String, { description: 'The client (tab) sending it, at most 128 characters.' })
  clientId!: string;

  @Field(() => String, { nullable: true, description: 'At most 80 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: '`#rrggbb`.' })
  color?: string | null;

  @Field(() => CursorInput, { nullable: true })
  cursor?: CursorInput | null;

  @Field(() => [ID], { nullable: true, description: 'Selected node and edge ids, at most 100.' })
  selection?: string[] | null;
}
