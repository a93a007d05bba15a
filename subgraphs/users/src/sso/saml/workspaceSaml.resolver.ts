import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireIdentity } from '../../auth/auth.guard.js';
import type { UsersContext } from '../../context.js';
import { ConfigureWorkspaceSamlArgs } from './workspaceSaml.input.js';
import { toWorkspaceSaml } from './workspaceSaml.mapper.js';
import { WorkspaceSaml } from './workspaceSaml.type.js';

/** Workspace SAML settings: ADMIN or OWNER of the workspace (NOT_FOUND for non-members, FORBIDDEN below ADMIN). */
@Resolver(() => WorkspaceSaml)
export class WorkspaceSamlResolver {
  @Directive('@authenticated')
  @Query(() => WorkspaceSaml, { nullable: true, description: "The workspace's SAML settings; null when off." })
  async workspaceSaml(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Ctx() context: UsersContext,
  ): Promise<WorkspaceSaml | null> {
    const { userId } = requireIdentity(context);
    await context.workspaces.requireRole(workspaceId, userId, 'ADMIN');
    const record = await context.sso.saml.get(workspaceId);
    const { saml } = context.sso;
    return record && toWorkspaceSaml(record, saml.urls(workspaceId), saml.usable(record));
  }

  @Directive('@authenticated')
  @Mutation(() => WorkspaceSaml, {
    description:
      "Sets the workspace's SAML identity provider (replacing any) from its metadata. BAD_USER_INPUT names the " +
      'field at fault: metadata that is not XML, describes no single IdP, or lacks an entityID, a signing ' +
      'certificate that parses and has not expired, or an https HTTP-Redirect single sign-on URL; an OWNER ' +
      'default role.',
  })
  async configureWorkspaceSaml(
    @Args(() => ConfigureWorkspaceSamlArgs) { workspaceId, input }: ConfigureWorkspaceSamlArgs,
    @Ctx() context: UsersContext,
  ): Promise<WorkspaceSaml> {
    const { userId } = requireIdentity(context);
    const role = await context.workspaces.requireRole(workspaceId, userId, 'ADMIN');
    const { saml } = context.sso;
    const record = await saml.configure(workspaceId, input, { id: userId, role });
    return toWorkspaceSaml(record, saml.urls(workspaceId), saml.usable(record));
  }

  @Directive('@authenticated')
  @Mutation(() => Boolean, { description: 'Turns SAML sign-in off for the workspace; false when it was off.' })
  async disableWorkspaceSaml(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Ctx() context: UsersContext,
  ): Promise<boolean> {
    const { userId } = requireIdentity(context);
    await context.workspaces.requireRole(workspaceId, userId, 'ADMIN');
    return context.sso.saml.disable(workspaceId);
  }
}
