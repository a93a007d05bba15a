import { IDENTITY_HEADER, type AssertionSigner } from '../auth/index.js';

/**
 * Another service's calls to the users subgraph, on its own account: an assertion it
 * signs as itself, for the `@inaccessible` fields only services may read.
 */
export class UsersApi {
  constructor(
    private readonly usersUrl: string,
    /** This service's signer: it asserts only itself. */
    private readonly assertions: AssertionSigner,
    private readonly service: string,
  ) {}

  /** The `data` of one operation; throws when users answers with errors or not at all. */
  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const assertion = await this.assertions.sign('users', { identity: null, clientIp: null, service: this.service });
    const response = await fetch(this.usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { data?: T | null; errors?: { message: string }[] };
    if (!response.ok || !body.data || body.errors?.length) {
      throw new Error(`users did not answer ${this.service}: ${response.status} ${body.errors?.[0]?.message ?? ''}`);
    }
    return body.data;
  }
}
