import type { AssertionSigner } from '#internal/auth';
import { callAsService } from '#internal/service';

/**
 * Another service's calls to the users subgraph, on its own account: an assertion it
 * signs as itself, for the `@inaccessible` fields only services may read.
 */
export class UsersApi {
  constructor(
    private readonly usersUrl: string,
    /** This service's signer: it asserts only itself. */
    private readonly assertions: AssertionSigner,
    /** This service's name. */
    readonly service: string,
  ) {}

  /** The `data` of one operation; throws a ServiceCallError when users answers with errors or not at all. */
  query<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    return callAsService<T>(this.assertions, this.service, {
      audience: 'users',
      url: this.usersUrl,
      query,
      variables,
      ...(signal ? { signal } : {}),
    });
  }
}
