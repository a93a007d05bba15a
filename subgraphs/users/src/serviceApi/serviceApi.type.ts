import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { WorkspaceRole as Role } from '../../../../internal/workspaces/index.js';
import { WorkspaceRole } from '../workspace/workspace.type.js';

@Directive('@inaccessible')
@ObjectType({ description: "For other services: a user's role in one workspace." })
export class WorkspaceGrant {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => WorkspaceRole)
  role!: Role;
}
