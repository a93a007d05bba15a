import {
  getNamedType,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Identity } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import type { FieldAccess, RefusalCode, Violation } from './fieldAccess.js';
import { removeUnauthorizedFields, strongest, type RemovedFields } from './removeUnauthorizedFields.js';
import type { AuthRules, Requirement } from './securityDirectives.js';

export type { FieldAccess, RefusalCode, Violation } from './fieldAccess.js';

/** `@policy` names mapped to their checks; a policy without one is never satisfied. */
export type Policies = Record<string, (identity: Identity) => boolean>;

/** What the caller may see of one operation. */
export type OperationAuthorization =
  | { kind: 'authorized' }
  /** Some fields removed: `document` is what to plan, `removed` what to put back as errors. */
  | { kind: 'partial'; document: DocumentNode; removed: RemovedFields }
  /** Nothing authorized is left: the whole operation is refused (401/403). */
  | { kind: 'refused'; error: GraphQLError };

function check(requirement: Requirement, identity: Identity | null, policies: Policies): RefusalCode | null {
  const needsIdentity = requirement.authenticated || requirement.scopes.length > 0 || requirement.policies.length > 0;
  if (!needsIdentity) return null;
  if (!identity) return ErrorCode.UNAUTHENTICATED;
  const scopes = identity.scopes ?? [];
  if (requirement.scopes.length > 0 && !requirement.scopes.some((group) => group.every((s) => scopes.includes(s)))) {
    return ErrorCode.FORBIDDEN;
  }
  const allowed = (name: string): boolean => policies[name]?.(identity) ?? false;
  if (requirement.policies.length > 0 && !requirement.policies.some((group) => group.every(allowed))) {
    return ErrorCode.FORBIDDEN;
  }
  return null;
}

/**
 * A field is allowed by its own rule and its type's. A field of an interface or union
 * type also needs what each possible type needs: stricter than Apollo Router, which
 * removes only the fragments on the types the caller may not see, but it never lets
 * such an object through a fragment on the abstract type.
 */
export function fieldAccess(
  schema: GraphQLSchema,
  identity: Identity | null,
  rules: AuthRules,
  policies: Policies = {},
): FieldAccess {
  return (parent, field) => {
    const type = getNamedType(field.type);
    const possible = isAbstractType(type) ? schema.getPossibleTypes(type) : [];
    const requirements = [rules.fields.get(`${parent.name}.${field.name}`), rules.types.get(type.name)];
    requirements.push(...possible.map((object) => rules.types.get(object.name)));
    for (const requirement of requirements) {
      const code = requirement && check(requirement, identity, policies);
      if (code) return code;
    }
    return null;
  };
}

/**
 * Every selected field the caller may not see, by the field's own rule and by its type's.
 * A refused field is not descended into: its path is the one reported.
 */
export function findViolations(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  identity: Identity | null,
  rules: AuthRules,
  policies: Policies = {},
): Violation[] {
  const access = fieldAccess(schema, identity, rules, policies);
  return removeUnauthorizedFields(schema, document, operationName, access).refusals;
}

/**
 * Field-level authorization before planning, as Apollo Router does it: refused fields are
 * removed from the operation; only an operation with nothing authorized left is refused.
 */
export function authorizeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  identity: Identity | null,
  rules: AuthRules,
  policies: Policies = {},
): OperationAuthorization {
  const access = fieldAccess(schema, identity, rules, policies);
  const removal = removeUnauthorizedFields(schema, document, operationName, access);
  if (removal.refusals.length === 0) return { kind: 'authorized' };
  if (!removal.document) return { kind: 'refused', error: violationError(removal.refusals) };
  return { kind: 'partial', document: removal.document, removed: removal.removed };
}

const refusalMessage = (code: RefusalCode, fields: readonly string[]): string =>
  code === ErrorCode.UNAUTHENTICATED
    ? `Sign in to access: ${fields.join(', ')}.`
    : `You are not allowed to access: ${fields.join(', ')}.`;

/** One error for the whole refused operation, naming every refused field. */
export function violationError(violations: Violation[]): GraphQLError {
  const code = strongest(violations);
  const message = refusalMessage(
    code,
    violations.map((violation) => violation.path),
  );
  return new GraphQLError(message, {
    extensions: { code, fields: violations, http: { status: code === ErrorCode.UNAUTHENTICATED ? 401 : 403 } },
  });
}

/** The error at the response path of one removed field (`fields` are the refused ones, from the root). */
export function fieldRefusedError(code: RefusalCode, fields: readonly string[]): GraphQLError {
  return new GraphQLError(refusalMessage(code, fields), { extensions: { code } });
}

/**
 * Variables are checked against the operation the client sent, so a variable only a
 * removed field used is still required: what is valid must not depend on who asks.
 */
export function variableError(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode | undefined,
  variables: Record<string, unknown> | undefined,
): GraphQLError | undefined {
  const { errors } = getVariableValues(schema, operation?.variableDefinitions ?? [], variables ?? {});
  const [first] = errors ?? [];
  return (
    first &&
    new GraphQLError(first.message, {
      nodes: first.nodes ?? [],
      extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
    })
  );
}
