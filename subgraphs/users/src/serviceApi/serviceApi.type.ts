import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { WorkspaceRole as Role } from '#internal/workspaces';
import { WorkspaceRole } from '../workspace/workspace.type.js';

@Directive('@inaccessible')
@ObjectType({ description: "For other services: a user's role in one workspace." })
export class WorkspaceGrant {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => WorkspaceRole)
  role!: Role;
}

@Directive('@inaccessible')
@ObjectType({ description: "For other services: what they may know of a user's account." })
export class AccountFacts {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;
}
