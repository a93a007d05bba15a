import { Kind, parse, print, visit, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/** What a field or type demands of the caller, from the composed security directives. */
export interface Requirement {
  authenticated: boolean;
  /** `@requiresScopes`: any one group, all scopes of that group. */
  scopes: string[][];
  /** `@policy`: any one group, all policies of that group. */
  policies: string[][];
}

export interface AuthRules {
  /** By type name: applies wherever a value of that type is selected. */
  types: Map<string, Requirement>;
  /** By `Type.field`. */
  fields: Map<string, Requirement>;
}

const SPECS: Record<string, keyof Requirement> = {
  'https://specs.apollo.dev/authenticated/': 'authenticated',
  'https://specs.apollo.dev/requiresScopes/': 'scopes',
  'https://specs.apollo.dev/policy/': 'policies',
};

/** Security features `@apollo/gateway` applies itself: `@inaccessible` keeps an element out of the API schema. */
const GATEWAY_FEATURES = ['https://specs.apollo.dev/inaccessible/'];

/**
 * `@apollo/gateway` refuses supergraphs that link `for: SECURITY` features. The router
 * keeps those rules for itself and hands the gateway the same supergraph without them,
 * so the subgraphs keep the standard Federation directives and stay portable.
 */
export function splitSecurityDirectives(supergraphSdl: string): { gatewaySdl: string; rules: AuthRules } {
  const document = parse(supergraphSdl);
  const names = securityDirectiveNames(document);
  const rules: AuthRules = { types: new Map(), fields: new Map() };
  if (names.size === 0) return { gatewaySdl: supergraphSdl, rules };

  const collect = (directives: readonly ConstDirectiveNode[] | undefined): Requirement | undefined => {
    let requirement: Requirement | undefined;
    for (const directive of directives ?? []) {
      const kind = names.get(directive.name.value);
      if (!kind) continue;
      requirement ??= { authenticated: false, scopes: [], policies: [] };
      if (kind === 'authenticated') requirement.authenticated = true;
      else requirement[kind].push(...groups(directive, kind));
    }
    return requirement;
  };
  const withoutSecurity = (directives: readonly ConstDirectiveNode[] | undefined) =>
    directives?.filter((directive) => !names.has(directive.name.value));

  let currentType = '';
  const stripped = visit(document, {
    SchemaDefinition: (node) => ({ ...node, directives: node.directives?.filter((d) => !isSecurityLink(d)) }),
    SchemaExtension: (node) => ({ ...node, directives: node.directives?.filter((d) => !isSecurityLink(d)) }),
    DirectiveDefinition: (node) => (names.has(node.name.value) ? null : undefined),
    ScalarTypeDefinition: (node) => {
      if (/^(requiresScopes__Scope|policy__Policy)$/.test(node.name.value)) return null;
      return typeLevel(node);
    },
    ObjectTypeDefinition: { enter: (node) => enterType(node), leave: (node) => typeLevel(node) },
    InterfaceTypeDefinition: { enter: (node) => enterType(node), leave: (node) => typeLevel(node) },
    EnumTypeDefinition: (node) => typeLevel(node),
    FieldDefinition: (node) => {
      const requirement = collect(node.directives);
      if (!requirement) return undefined;
      rules.fields.set(`${currentType}.${node.name.value}`, requirement);
      return { ...node, directives: withoutSecurity(node.directives) };
    },
  });

  function enterType(node: { name: { value: string } }): undefined {
    currentType = node.name.value;
    return undefined;
  }
  function typeLevel<T extends { name: { value: string }; directives?: readonly ConstDirectiveNode[] }>(
    node: T,
  ): T | undefined {
    const requirement = collect(node.directives);
    if (!requirement) return undefined;
    rules.types.set(node.name.value, requirement);
    return { ...node, directives: withoutSecurity(node.directives) };
  }

  return { gatewaySdl: print(stripped), rules };
}

/** The local names (after `as:` renames) of the security directives the supergraph links. */
function securityDirectiveNames(document: DocumentNode): Map<string, keyof Requirement> {
  const names = new Map<string, keyof Requirement>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (!isSecurityLink(directive)) continue;
      const url = stringArg(directive, 'url') ?? '';
      const kind = Object.entries(SPECS).find(([prefix]) => url.startsWith(prefix))?.[1];
      if (!kind)
        throw new Error(`The supergraph links an unknown security feature (${url}); the router cannot enforce it.`);
      names.set(localName(directive, url.replace(/^.*\/([^/]+)\/v[\d.]+$/, '$1')), kind);
    }
  }
  return names;
}

/** A spec's directive is renamed by the link's `as:` or by an `import: [{ name, as }]` entry. */
function localName(link: ConstDirectiveNode, specName: string): string {
  const imports = link.arguments?.find((arg) => arg.name.value === 'import')?.value;
  for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
    if (entry.kind !== Kind.OBJECT) continue;
    const field = (name: string) => entry.fields.find((f) => f.name.value === name)?.value;
    const name = field('name');
    const as = field('as');
    if (name?.kind === Kind.STRING && name.value === `@${specName}` && as?.kind === Kind.STRING) {
      return as.value.replace(/^@/, '');
    }
  }
  return stringArg(link, 'as') ?? specName;
}

/** A `@link` to a security feature the router enforces itself (not one the gateway applies). */
function isSecurityLink(directive: ConstDirectiveNode): boolean {
  const purpose = directive.arguments?.find((arg) => arg.name.value === 'for')?.value;
  const url = stringArg(directive, 'url') ?? '';
  return (
    directive.name.value === 'link' &&
    purpose?.kind === Kind.ENUM &&
    purpose.value === 'SECURITY' &&
    !GATEWAY_FEATURES.some((prefix) => url.startsWith(prefix))
  );
}

function stringArg(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function groups(directive: ConstDirectiveNode, kind: 'scopes' | 'policies'): string[][] {
  const value = directive.arguments?.find((arg) => arg.name.value === kind)?.value;
  const list = (node: ConstValueNode | undefined): ConstValueNode[] =>
    node?.kind === Kind.LIST ? [...node.values] : [];
  return list(value).map((group) => list(group).flatMap((item) => (item.kind === Kind.STRING ? [item.value] : [])));
}
