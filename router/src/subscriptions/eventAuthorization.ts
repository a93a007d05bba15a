import { GraphQLError, print } from 'graphql';
import type { Identity } from '../../../internal/auth/index.js';
import { ErrorCode } from '../../../internal/errors/index.js';
import { hasExpired, tokenExpired } from '../auth/authenticate.js';
import type { OperationAuthorization } from '../auth/authorize.js';

export const authorizationChanged = (): GraphQLError =>
  new GraphQLError('What this subscription may see has changed; subscribe again.', {
    extensions: { code: ErrorCode.FORBIDDEN },
  });

/**
 * The check before each event of a subscription: a subscription can outlive the token it
 * was authorized with, and must then end rather than deliver. The field authorization is
 * re-run for the identity of the moment, and cached for it: while the identity is the one
 * already checked (always, on one connection today), an event costs a comparison.
 *
 * @returns Why the next event must not be delivered (the subscription then ends), or undefined.
 */
export function eventAuthorization(
  authorize: (identity: Identity | null) => OperationAuthorization,
  identity: Identity | null,
  granted: OperationAuthorization,
): (identity: Identity | null, now?: number) => GraphQLError | undefined {
  let checked = identity;
  return (current, now = Date.now()) => {
    if (hasExpired(current, now)) return tokenExpired();
    if (current === checked) return undefined;
    const authorization = authorize(current);
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
