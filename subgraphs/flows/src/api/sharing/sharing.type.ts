import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { FlowShareRole } from '../../domain/shareRole.js';
import { User } from '../user/user.type.js';

export { FlowShareRole };
registerEnumType(FlowShareRole, {
  name: 'FlowShareRole',
  description: 'A role on one flow: ADMIN also manages its sharing; EDITOR changes it; VIEWER reads it.',
});

@ObjectType({ description: 'Someone a flow is shared with, beyond its workspace.' })
export class FlowCollaborator {
  @Field(() => User)
  user!: User;

  @Field(() => FlowShareRole)
  role!: FlowShareRole;

  @Field(() => Date)
  addedAt!: Date;
}

@ObjectType({ description: 'A read-only link to a flow; anyone with the token can read it until it is revoked.' })
export class FlowShareLink {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => User)
  createdBy!: User;
}

@ObjectType({ description: 'A new share link: the token is shown this once and stored only as a hash.' })
export class CreatedFlowShareLink {
  @Field(() => FlowShareLink)
  link!: FlowShareLink;

  @Field(() => String, { description: 'Pass it to `sharedFlow(token:)`.' })
  token!: string;
}

@ObjectType({
  description: 'An invitation to a flow, mailed to one address: nothing about who owns the address until they accept.',
})
export class FlowInvitation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => FlowShareRole)
  role!: FlowShareRole;

  @Field(() => User)
  invitedBy!: User;

  @Field(() => Date)
  invitedAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;
}
