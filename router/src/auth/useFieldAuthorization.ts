import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { getOperationAST, print, type DocumentNode } from 'graphql';
import type { RouterContext } from '../context.js';
import { authorizeOperation, variableError, type Policies } from './authorize.js';
import type { RemovedFields } from './removeUnauthorizedFields.js';
import { restoreRemovedFields } from './restoreRemovedFields.js';
import type { AuthRules } from './securityDirectives.js';

/**
 * Field-level authorization before planning, with Apollo Router's semantics
 * (https://www.apollographql.com/docs/graphos/routing/security/authorization): fields the
 * caller may not see are removed from the operation, so no subgraph is asked for them;
 * the response keeps the operation's shape with them `null` and an error at each of their
 * paths (non-null ones null their parent). Our errors carry the contract's UNAUTHENTICATED
 * or FORBIDDEN rather than Apollo's UNAUTHORIZED_FIELD_OR_TYPE. An operation with nothing
 * authorized left is refused whole with 401/403, naming every refused field.
 */
export function useFieldAuthorization(rules: AuthRules, policies: Policies = {}): ApolloServerPlugin<RouterContext> {
  return {
    requestDidStart: () => {
      let clientDocument: DocumentNode | undefined;
      let removed: RemovedFields | undefined;
      return Promise.resolve({
        didResolveOperation: (requestContext) => {
          const { schema, document, operationName, operation, request, contextValue } = requestContext;
          const authorization = authorizeOperation(
            schema,
            document,
            operationName,
            contextValue.identity,
            rules,
            policies,
          );
          if (authorization.kind === 'refused') throw authorization.error;
          if (authorization.kind === 'partial') {
            const invalid = variableError(schema, operation, request.variables);
            if (invalid) throw invalid;
            clientDocument = document;
            removed = authorization.removed;
            executeInstead(requestContext, authorization.document);
          }
          return Promise.resolve();
        },
        willSendResponse: async ({ schema, request, response }) => {
          if (!clientDocument || !removed || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          // No data: the operation failed before execution, or a root field nulled it all.
          if (!singleResult.data) return;
          const restored = await restoreRemovedFields({
            schema,
            document: clientDocument,
            operationName: request.operationName,
            variables: request.variables,
            removed,
            data: singleResult.data,
          });
          const errors = [...(singleResult.errors ?? []), ...(restored.errors ?? []).map((error) => error.toJSON())];
          response.body.singleResult = {
            ...singleResult,
            data: restored.data ?? null,
            ...(errors.length > 0 ? { errors } : {}),
          };
        },
      });
    },
  };
}

/**
 * Makes the gateway plan and execute `document`. Its query plan cache is keyed on
 * `queryHash` (with `request.operationName`), which Apollo Server computed from the
 * client's text: left alone, the pruned document would be served the plan cached for
 * the full one, or the reverse, across callers. Every field describing the operation is
 * therefore replaced, and the hash is that of the text of the document actually planned.
 * Apollo Server's parsed-document cache was filled before this hook and is keyed on the
 * original hash, so it keeps the client's document.
 */
function executeInstead(
  requestContext: GraphQLRequestContextDidResolveOperation<RouterContext>,
  document: DocumentNode,
) {
  const source = print(document);
  const writable = requestContext as { -readonly [K in keyof typeof requestContext]: (typeof requestContext)[K] };
  writable.document = document;
  writable.source = source;
  writable.queryHash = createHash('sha256').update(source).digest('hex');
  writable.operation = getOperationAST(document, requestContext.request.operationName) ?? undefined;
  writable.request.query = source;
}
