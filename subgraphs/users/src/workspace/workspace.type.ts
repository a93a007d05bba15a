import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { WorkspaceRole as Role } from '#internal/workspaces';
import { User } from '../user/user.type.js';

export const WorkspaceRole = { OWNER: 'OWNER', ADMIN: 'ADMIN', EDITOR: 'EDITOR', VIEWER: 'VIEWER' } as const;
registerEnumType(WorkspaceRole, {
  name: 'WorkspaceRole',
  description:
    'OWNER: everything, one per workspace. ADMIN: members, invitations, audit log. EDITOR: changes content. ' +
    'VIEWER: reads content.',
});

@ObjectType({ description: 'A team: its members share its flows and knowledge, each with a role.' })
@Directive('@key(fields: "id")')
export class Workspace {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => WorkspaceRole, { description: "The caller's role here." })
  myRole!: Role;
}

@ObjectType({ description: 'Someone in a workspace, with their role.' })
export class WorkspaceMember {
  @Field(() => User, { nullable: true, description: 'Null when the account has been deleted since.' })
  user!: User | null;

  @Field(() => WorkspaceRole)
  role!: Role;

  @Field(() => Date)
  joinedAt!: Date;
}

@ObjectType({ description: 'An invitation mailed to an address, until it is accepted, revoked or expires.' })
export class WorkspaceInvitation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => WorkspaceRole)
  role!: Role;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  invitedBy!: string;
}
