import { Kind, parse, valueFromASTUntyped, type DocumentNode, type FieldDefinitionNode } from 'graphql';

/** A subscription field's `@fanOut`: its events are the same for every subscriber its guard lets in. */
export interface FanOutRule {
  /** The query run as each subscriber; its variables are the field's arguments of the same names. */
  guard: DocumentNode;
  /** Arguments that, when given, give a subscriber a stream of its own (they change what it starts with). */
  unsharedWith: readonly string[];
}

/** `@fanOut` rules by subscription field name, from the supergraph's SDL. */
export function fanOutRules(supergraphSdl: string): Map<string, FanOutRule> {
  const document = parse(supergraphSdl);
  const rootName = subscriptionTypeName(document);
  const rules = new Map<string, FanOutRule>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (definition.name.value !== rootName) continue;
    for (const field of definition.fields ?? []) {
      const rule = ruleOf(field);
      if (rule) rules.set(field.name.value, rule);
    }
  }
  return rules;
}

function ruleOf(field: FieldDefinitionNode): FanOutRule | undefined {
  const directive = field.directives?.find((d) => d.name.value === 'fanOut');
  if (!directive) return undefined;
  const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
  const guard = args['guard'];
  if (typeof guard !== 'string') throw new Error(`@fanOut on ${field.name.value} needs a guard query`);
  const parsed = parse(guard);
  const [operation, ...others] = parsed.definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query' || others.length > 0) {
    throw new Error(`@fanOut on ${field.name.value}: the guard must be one query`);
  }
  const unsharedWith = Array.isArray(args['unsharedWith']) ? (args['unsharedWith'] as unknown[]).map(String) : [];
  return { guard: parsed, unsharedWith };
}

function subscriptionTypeName(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    const type = definition.operationTypes?.find((t) => t.operation === 'subscription');
    if (type) return type.type.name.value;
  }
  return 'Subscription';
}
