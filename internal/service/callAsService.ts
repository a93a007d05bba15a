import { IDENTITY_HEADER, type AssertionSigner } from '#internal/auth';

/** Another service did not answer, or answered with errors. */
export class ServiceCallError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServiceCallError';
  }
}

export interface ServiceCall {
  /** The called subgraph's name: the audience of the assertion. */
  audience: string;
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Ends the call early (the caller is shutting down). */
  signal?: AbortSignal;
  /** @default 10000 */
  timeoutMs?: number;
}

/**
 * One operation sent to another subgraph on this service's own account (an assertion it
 * signs as itself, never as a user); its `data`. A failed connection, a non-2xx answer or
 * any GraphQL error throws a ServiceCallError.
 */
export async function callAsService<T>(signer: AssertionSigner, service: string, call: ServiceCall): Promise<T> {
  const assertion = await signer.sign(call.audience, { identity: null, clientIp: null, service });
  const timeout = AbortSignal.timeout(call.timeoutMs ?? 10_000);
  let response: Response;
  let body: { data?: T | null; errors?: { message: string }[] };
  try {
    response = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
      body: JSON.stringify({ query: call.query, variables: call.variables ?? {} }),
      signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new ServiceCallError(`${call.audience} did not answer: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || body.errors?.length || !body.data) {
    throw new ServiceCallError(
      `${call.audience} answered ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`,
    );
  }
  return body.data;
}
