import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '#internal/errors';
import type { FieldAccess, RefusalCode, Violation } from './fieldAccess.js';

/** Why a field of the client's document was taken out. */
export interface Removal {
  code: RefusalCode;
  /** The refused fields below it (`owner.email`) when it was removed for being left empty; none when refused itself. */
  below: string[];
}

/**
 * Removals by field node of the client's document. A node's fate depends only on its
 * place in the document (a fragment's fields have the fragment's types), never on where
 * the fragment is spread, so one node has one removal.
 */
export type RemovedFields = ReadonlyMap<FieldNode, Removal>;

export interface FieldRemoval {
  /** Every refused field by response path from the root (`flow.owner.email`). */
  refusals: Violation[];
  /** The operation without the refused fields; the client's document when nothing was refused, undefined when nothing is left. */
  document: DocumentNode | undefined;
  removed: RemovedFields;
}

interface Pruned<T> {
  /** What is left; undefined when nothing is. */
  node: T | undefined;
  /** Refused fields, by response path relative to the pruned node. */
  refusals: Violation[];
}

/**
 * The selected operation without the fields `access` refuses. A selection set left empty
 * takes its field away too, as Apollo Router does; fragments and variables left unused
 * are dropped, so the result is a valid document the gateway can plan.
 */
export function removeUnauthorizedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  access: FieldAccess,
): FieldRemoval {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { refusals: [], document, removed: new Map() };
  const pruner = new Pruner(schema, document, access);
  const pruned = pruner.selectionSet(operation.selectionSet, root);
  const refusals = uniqueByPath(pruned.refusals);
  if (refusals.length === 0) return { refusals, document, removed: pruner.removed };
  if (!pruned.node) return { refusals, document: undefined, removed: pruner.removed };

  const kept: OperationDefinitionNode = { ...operation, selectionSet: pruned.node };
  const fragments = pruner.fragmentsUsedBy(kept);
  const definitions = [withoutUnusedVariables(kept, fragments), ...fragments];
  return { refusals, document: withTypenames(schema, { kind: Kind.DOCUMENT, definitions }), removed: pruner.removed };
}

class Pruner {
  readonly removed = new Map<FieldNode, Removal>();
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly prunedFragments = new Map<string, Pruned<SelectionSetNode>>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly access: FieldAccess,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  /** The same node when nothing below it is refused, so unchanged subtrees are shared. */
  selectionSet(node: SelectionSetNode, parent: GraphQLCompositeType): Pruned<SelectionSetNode> {
    const selections: SelectionNode[] = [];
    const refusals: Violation[] = [];
    for (const selection of node.selections) {
      const pruned = this.selection(selection, parent);
      refusals.push(...pruned.refusals);
      if (pruned.node) selections.push(pruned.node);
    }
    if (refusals.length === 0) return { node, refusals };
    return { node: selections.length > 0 ? { ...node, selections } : undefined, refusals };
  }

  /** The definitions of the fragments `operation` still spreads, directly or not, pruned. */
  fragmentsUsedBy(operation: OperationDefinitionNode): FragmentDefinitionNode[] {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: ASTNode): void => {
      visit(node, {
        FragmentSpread: (spread) => {
          const name = spread.name.value;
          const definition = this.fragments.get(name);
          const selectionSet = this.prunedFragments.get(name)?.node;
          if (used.has(name) || !definition || !selectionSet) return;
          used.set(name, { ...definition, selectionSet });
          collect(selectionSet);
        },
      });
    };
    collect(operation.selectionSet);
    return [...used.values()];
  }

  private selection(selection: SelectionNode, parent: GraphQLCompositeType): Pruned<SelectionNode> {
    if (selection.kind === Kind.FIELD) return this.field(selection, parent);
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
      if (!isCompositeType(condition)) return { node: selection, refusals: [] };
      const pruned = this.selectionSet(selection.selectionSet, condition);
      if (pruned.node === selection.selectionSet) return { node: selection, refusals: [] };
      return { node: pruned.node && { ...selection, selectionSet: pruned.node }, refusals: pruned.refusals };
    }
    const pruned = this.fragment(selection.name.value);
    if (!pruned) return { node: selection, refusals: [] };
    return { node: pruned.node && selection, refusals: pruned.refusals };
  }

  private field(node: FieldNode, parent: GraphQLCompositeType): Pruned<FieldNode> {
    // A union has only `__typename`; it and introspection are always allowed.
    if (!isObjectType(parent) && !isInterfaceType(parent)) return { node, refusals: [] };
    const definition = parent.getFields()[node.name.value];
    if (!definition) return { node, refusals: [] };
    const key = node.alias?.value ?? node.name.value;
    const code = this.access(parent, definition);
    if (code) {
      this.removed.set(node, { code, below: [] });
      return { node: undefined, refusals: [{ path: key, code }] };
    }
    const type = getNamedType(definition.type);
    if (!node.selectionSet || !isCompositeType(type)) return { node, refusals: [] };
    const pruned = this.selectionSet(node.selectionSet, type);
    const refusals = pruned.refusals.map((refusal) => ({ ...refusal, path: `${key}.${refusal.path}` }));
    if (pruned.node === node.selectionSet) return { node, refusals };
    if (!pruned.node) {
      this.removed.set(node, { code: strongest(pruned.refusals), below: pruned.refusals.map((r) => r.path) });
      return { node: undefined, refusals };
    }
    return { node: { ...node, selectionSet: pruned.node }, refusals };
  }

  /** Pruned once per document: its type condition, not the spread's place, decides. */
  private fragment(name: string): Pruned<SelectionSetNode> | undefined {
    const definition = this.fragments.get(name);
    if (!definition) return undefined;
    let pruned = this.prunedFragments.get(name);
    if (!pruned) {
      const condition = this.schema.getType(definition.typeCondition.name.value);
      pruned = isCompositeType(condition)
        ? this.selectionSet(definition.selectionSet, condition)
        : { node: definition.selectionSet, refusals: [] };
      this.prunedFragments.set(name, pruned);
    }
    return pruned;
  }
}

/** UNAUTHENTICATED when signing in could help with any of them (it answers 401). */
export function strongest(refusals: readonly Violation[]): RefusalCode {
  return refusals.some((refusal) => refusal.code === ErrorCode.UNAUTHENTICATED)
    ? ErrorCode.UNAUTHENTICATED
    : ErrorCode.FORBIDDEN;
}

/** A fragment spread twice at one place is one refusal. */
function uniqueByPath(refusals: Violation[]): Violation[] {
  return [...new Map(refusals.map((refusal) => [refusal.path, refusal])).values()];
}

/** `NoUnusedVariablesRule`: a variable only removed fields used must go with them. */
function withoutUnusedVariables(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
): OperationDefinitionNode {
  const used = new Set<string>();
  for (const node of [operation.selectionSet, ...(operation.directives ?? []), ...fragments]) {
    visit(node, { Variable: (variable) => void used.add(variable.name.value) });
  }
  const variableDefinitions = operation.variableDefinitions?.filter((d) => used.has(d.variable.name.value));
  return { ...operation, variableDefinitions };
}

/**
 * Responses of the pruned operation are put back into the shape of the client's one by
 * executing it over them, which needs each abstract-typed object's `__typename`.
 */
function withTypenames(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const types = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(types, {
      SelectionSet: (node) => {
        const parent = types.getParentType();
        if (!parent || !isAbstractType(parent) || node.selections.some(isTypename)) return undefined;
        return { ...node, selections: [...node.selections, TYPENAME] };
      },
    }),
  );
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

const isTypename = (selection: SelectionNode): boolean =>
  selection.kind === Kind.FIELD && selection.name.value === '__typename' && !selection.alias;
