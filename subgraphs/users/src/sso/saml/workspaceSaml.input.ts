import { ArgsType, Field, ID, InputType } from 'type-graphql';
import type { WorkspaceRole as Role } from '#internal/workspaces';
import { WorkspaceRole } from '../../workspace/workspace.type.js';

@InputType()
export class WorkspaceSamlInput {
  @Field(() => String, {
    description:
      "The IdP's SAML metadata (XML, as the IdP publishes it): its entityID, signing certificate and the https " +
      'SingleSignOnService location of the HTTP-Redirect binding are taken from it.',
  })
  idpMetadata!: string;

  @Field(() => WorkspaceRole, {
    defaultValue: 'VIEWER',
    description: 'The role of people who join by signing in: below your own, never OWNER.',
  })
  defaultRole!: Role;
}

// An args class keeps `workspaceId` first in the schema (separate @Arg parameters come out reversed).
@ArgsType()
export class ConfigureWorkspaceSamlArgs {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => WorkspaceSamlInput)
  input!: WorkspaceSamlInput;
}
