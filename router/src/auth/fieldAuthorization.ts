import {
  getOperationAST,
  GraphQLError,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Identity } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import { hasExpired, tokenExpired } from './authenticate.js';
import { authorizeOperation, variableError, type OperationAuthorization, type Policies } from './authorize.js';
import { restoreRemovedFields } from './restoreRemovedFields.js';
import type { AuthRules } from './securityDirectives.js';

export interface OperationRequest {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
  identity: Identity | null;
}

/** An operation as its caller may run it. */
export interface AuthorizedOperation {
  /** What to plan and execute: the client's document without the fields the caller may not see. */
  document: DocumentNode;
  /**
   * The result in the shape of the client's operation: each removed field `null` with its
   * UNAUTHENTICATED/FORBIDDEN error at its path. Identity when nothing was removed.
   */
  restore: (result: ExecutionResult) => Promise<ExecutionResult>;
  /** Whether nothing was removed. */
  whole: boolean;
  /**
   * For an operation that outlives its request (a subscription's events): why `identity`
   * may no longer receive what was authorized, or undefined while it may. The token's
   * expiry always; the field rules again only when the identity changed.
   */
  recheck: (identity: Identity | null, now?: number) => GraphQLError | undefined;
}

export const authorizationChanged = (): GraphQLError =>
  new GraphQLError('What this subscription may see has changed; subscribe again.', {
    extensions: { code: ErrorCode.FORBIDDEN },
  });

/**
 * The field-level authorization every operation goes through, whatever its transport
 * (HTTP, WebSocket, the router's own guard queries): Apollo Router's semantics
 * (https://www.apollographql.com/docs/graphos/routing/security/authorization). Fields the
 * caller may not see are removed before planning, so no subgraph is asked for them; the
 * response keeps the operation's shape with them `null` and an error at each of their
 * paths. An operation with nothing authorized left is refused whole with 401/403, naming
 * every refused field. Variables are checked against the client's operation, so what is
 * valid does not depend on who asks.
 */
export class FieldAuthorization {
  constructor(
    readonly schema: GraphQLSchema,
    private readonly rules: AuthRules,
    private readonly policies: Policies = {},
  ) {}

  /** Throws the refusal. */
  authorize(request: OperationRequest): AuthorizedOperation {
    const decide = (identity: Identity | null): OperationAuthorization =>
      authorizeOperation(this.schema, request.document, request.operationName, identity, this.rules, this.policies);
    const granted = decide(request.identity);
    if (granted.kind === 'refused') throw granted.error;
    if (granted.kind === 'authorized') {
      return {
        document: request.document,
        restore: (result) => Promise.resolve(result),
        whole: true,
        recheck: recheckOf(decide, request.identity, granted),
      };
    }
    const operation = getOperationAST(request.document, request.operationName) ?? undefined;
    const invalid = variableError(this.schema, operation, request.variables ?? undefined);
    if (invalid) throw invalid;
    return {
      document: granted.document,
      whole: false,
      restore: async (result) => {
        // No data: the operation failed before execution, or a root field nulled it all.
        if (!result.data) return result;
        const restored = await restoreRemovedFields({
          schema: this.schema,
          document: request.document,
          operationName: request.operationName,
          variables: request.variables ?? undefined,
          removed: granted.removed,
          data: result.data as Record<string, unknown>,
        });
        const errors = [...(result.errors ?? []), ...(restored.errors ?? [])];
        return { ...result, data: restored.data ?? null, ...(errors.length > 0 ? { errors } : {}) };
      },
      recheck: recheckOf(decide, request.identity, granted),
    };
  }
}

/**
 * The check before each event of a subscription: it can outlive the token it was
 * authorized with, and must then end rather than deliver. The rules are re-run for the
 * identity of the moment and cached for it: while the identity is the one already
 * checked (always, on one connection today), an event costs a comparison.
 */
export function recheckOf(
  decide: (identity: Identity | null) => OperationAuthorization,
  identity: Identity | null,
  granted: OperationAuthorization,
): AuthorizedOperation['recheck'] {
  let checked = identity;
  return (current, now = Date.now()) => {
    if (hasExpired(current, now)) return tokenExpired();
    if (current === checked) return undefined;
    const authorization = decide(current);
    if (authorization.kind === 'refused') return authorization.error;
    if (!sameAuthorization(granted, authorization)) return authorizationChanged();
    checked = current;
    return undefined;
  };
}

function sameAuthorization(a: OperationAuthorization, b: OperationAuthorization): boolean {
  if (a.kind !== 'partial' || b.kind !== 'partial') return a.kind === b.kind;
  return print(a.document) === print(b.document);
}
