import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Identity } from '../../../internal/auth/index.js';
import { ErrorCode } from '../../../internal/errors/index.js';
import type { RouterContext } from '../context.js';
import type { AuthRules, Requirement } from './securityDirectives.js';

/** `@policy` names mapped to their checks; a policy without one is never satisfied. */
export type Policies = Record<string, (identity: Identity) => boolean>;

export interface Violation {
  /** The response path of the refused field, e.g. `flow.owner.email`. */
  path: string;
  code: ErrorCode.UNAUTHENTICATED | ErrorCode.FORBIDDEN;
}

function check(requirement: Requirement, identity: Identity | null, policies: Policies): Violation['code'] | null {
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
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const violations: Violation[] = [];
  const visited = new Set<string>();

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, path: string): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const type = getNamedType(field.type);
        const at = path ? `${path}.${selection.alias?.value ?? name}` : (selection.alias?.value ?? name);
        const requirements = [rules.fields.get(`${parent.name}.${name}`), rules.types.get(type.name)];
        const code = requirements.map((r) => (r ? check(r, identity, policies) : null)).find((c) => c !== null);
        if (code) violations.push({ path: at, code });
        else if (selection.selectionSet && isCompositeType(type)) walk(selection.selectionSet, type, at);
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) continue;
        const key = selection.kind === Kind.FRAGMENT_SPREAD ? `${path}|${selection.name.value}` : '';
        if (key && visited.has(key)) continue;
        if (key) visited.add(key);
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) walk(fragment.selectionSet, condition, path);
      }
    }
  };
  walk(operation.selectionSet, root, '');
  return violations;
}

/** One error for the whole refused operation, naming every refused field. */
export function violationError(violations: Violation[]): GraphQLError {
  const unauthenticated = violations.some((violation) => violation.code === ErrorCode.UNAUTHENTICATED);
  const code = unauthenticated ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN;
  const fields = violations.map((violation) => violation.path).join(', ');
  return new GraphQLError(
    unauthenticated ? `Sign in to access: ${fields}.` : `You are not allowed to access: ${fields}.`,
    { extensions: { code, fields: violations, http: { status: unauthenticated ? 401 : 403 } } },
  );
}

/**
 * Field-level authorization before planning: an operation that selects a field the
 * caller may not see is refused, and no subgraph is asked anything.
 */
export function useFieldAuthorization(rules: AuthRules, policies: Policies = {}): ApolloServerPlugin<RouterContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, operationName, contextValue }) => {
          const violations = findViolations(schema, document, operationName, contextValue.identity, rules, policies);
          if (violations.length > 0) throw violationError(violations);
          return Promise.resolve();
        },
      }),
  };
}
