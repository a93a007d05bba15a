import { Field, ID, InputType } from 'type-graphql';
import type { WorkspaceRole as Role } from '#internal/workspaces';
import { WorkspaceRole } from './workspace.type.js';

@InputType()
export class CreateWorkspaceInput {
  @Field(() => String, { description: '1 to 100 characters.' })
  name!: string;
}

@InputType()
export class InviteToWorkspaceInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => WorkspaceRole, { description: 'Below your own role; never OWNER.' })
  role!: Role;
}
