import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { isWorkspaceRole } from '../../../../internal/workspaces/index.js';
import type { UsersContext } from '../context.js';
import { WorkspaceGrant } from './serviceApi.type.js';

/**
 * What other services ask the users domain on their own account, never a client's:
 * `@inaccessible`, so not in the API the router serves, and allowed to the named
 * services only by the rules (`serviceApi.rules.ts`).
 */
@Resolver()
export class ServiceApiResolver {
  @Directive('@inaccessible')
  @Query(() => [WorkspaceGrant], { description: 'The workspaces a user belongs to, with the role in each.' })
  async workspaceGrantsOf(
    @Arg('userId', () => ID) userId: string,
    @Ctx() context: UsersContext,
  ): Promise<WorkspaceGrant[]> {
    const memberships = await context.workspaces.membershipsOf(userId);
    return memberships.flatMap((m) => (isWorkspaceRole(m.role) ? [{ workspaceId: m.workspaceId, role: m.role }] : []));
  }
}
