import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { RouterContext } from '../context.js';
import type { AuthorizedOperation, FieldAuthorization } from './fieldAuthorization.js';

/**
 * Queries and mutations (over HTTP, over WebSocket and the router's own guard queries,
 * which all run through Apollo) go through the shared `FieldAuthorization` step here;
 * subscriptions go through it in the subscription router.
 */
export function useFieldAuthorization(authorization: FieldAuthorization): ApolloServerPlugin<RouterContext> {
  return {
    requestDidStart: () => {
      let authorized: AuthorizedOperation | undefined;
      return Promise.resolve({
        didResolveOperation: (requestContext) => {
          const { document, operationName, request, contextValue } = requestContext;
          authorized = authorization.authorize({
            document,
            operationName,
            variables: request.variables,
            identity: contextValue.identity,
          });
          if (!authorized.whole) executeInstead(requestContext, authorized.document);
          return Promise.resolve();
        },
        willSendResponse: async ({ response }) => {
          if (!authorized || authorized.whole || response.body.kind !== 'single') return;
          const restored = await authorized.restore(response.body.singleResult as ExecutionResult);
          response.body.singleResult = {
            ...response.body.singleResult,
            data: restored.data ?? null,
            ...(restored.errors?.length
              ? { errors: restored.errors.map((error) => ('toJSON' in error ? error.toJSON() : error)) }
              : {}),
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
