// Builds the matrix's operations from the API schema, each selecting every field below its
// root fields, and the rows (field paths) each one answers for.
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * How deep a selection goes, counting the root field as 1. The router allows depth 10 and a
 * cost of 5000 (graphql-armor); 6 reaches every type and the users behind audit events.
 */
export const MAX_DEPTH = 6;

export type RootKind = 'Query' | 'Mutation' | 'Subscription';

/** One step of a row's path: a response key, and for fields of an abstract type's fragment, the type. */
export interface Step {
  key: string;
  /** Only the values of this `__typename` (an inline fragment on an interface or union). */
  on?: string;
}

export interface Row {
  /** e.g. `Query.workspace.members.user.email`; `[Type]` marks an inline fragment. */
  path: string;
  steps: Step[];
  /** The schema field this row selects, e.g. `User.email`. */
  field: string;
}

export interface MatrixOperation {
  /** `Query.flow`; `Query` when it selects several root fields. */
  name: string;
  kind: RootKind;
  /** The root fields it selects, e.g. `Query.flow` (each a fixture key). */
  roots: string[];
  rows: Row[];
  /**
   * The operation text for these arguments (their names, by root field: the keys of the
   * fixtures' variables), without the rows whose paths are in `exclude` nor anything below.
   * Variables are named by `variableName`.
   */
  text: (args: Readonly<Record<string, readonly string[]>>, exclude?: ReadonlySet<string>) => string;
}

/** The variable that carries `arg` of root field `root`: root fields' arguments never collide. */
export const variableName = (root: string, arg: string): string => `${root.slice(root.indexOf('.') + 1)}_${arg}`;

/** One root field's part of an operation: its variable definitions and its selection. */
interface RootSelection {
  root: string;
  kind: RootKind;
  rows: Row[];
  select: (args: readonly string[], exclude: ReadonlySet<string>) => { definitions: string[]; selection: string };
}

/**
 * Arguments of fields below the root, by `Type.field`: a field with a required argument
 * has to be given one here (see `nestedArguments` in fixtures.ts).
 */
export type NestedArguments = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** A selected field: its row, its text up to the braces, and what is selected below it. */
interface Selected {
  row: Row;
  head: string;
  below: Selection | undefined;
}

/** Fields of an object type, or `__typename` and one inline fragment per possible type. */
type Selection = { fields: Selected[] } | { fragments: { on: string; selection: Selection }[] };

const isRequired = (arg: GraphQLArgument): boolean => isNonNullType(arg.type) && arg.defaultValue === undefined;

/** A GraphQL literal for a fixture value (only enum-free JSON values are needed below the root). */
const literal = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(literal).join(', ')}]`
    : value !== null && typeof value === 'object'
      ? `{ ${Object.entries(value)
          .map(([k, v]) => `${k}: ${literal(v)}`)
          .join(', ')} }`
      : JSON.stringify(value);

/** What to select below a field of `type` (undefined for a leaf); null when nothing can be. */
function selectType(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  prefix: Row,
  depth: number,
  onPath: ReadonlySet<string>,
  nested: NestedArguments,
): Selection | undefined | null {
  if (isLeafType(type)) return undefined;
  if (depth > MAX_DEPTH || onPath.has(type.name)) return null;
  const path = new Set(onPath).add(type.name);
  if (isObjectType(type)) return selectFields(schema, type, prefix, depth, path, nested);
  if (!isAbstractType(type)) return null;
  const fragments = schema.getPossibleTypes(type).flatMap((possible) => {
    const last = prefix.steps.at(-1);
    const steps = [...prefix.steps.slice(0, -1), { key: last?.key ?? '', on: possible.name }];
    const under: Row = { path: `${prefix.path}[${possible.name}]`, steps, field: prefix.field };
    const selection = selectFields(schema, possible, under, depth, new Set(path).add(possible.name), nested);
    return selection ? [{ on: possible.name, selection }] : [];
  });
  return fragments.length > 0 ? { fragments } : null;
}

function selectFields(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  prefix: Row,
  depth: number,
  onPath: ReadonlySet<string>,
  nested: NestedArguments,
): Selection | null {
  const fields = Object.values(type.getFields()).flatMap((field): Selected[] => {
    const row: Row = {
      path: `${prefix.path}.${field.name}`,
      steps: [...prefix.steps, { key: field.name }],
      field: `${type.name}.${field.name}`,
    };
    const below = selectType(schema, getNamedType(field.type), row, depth + 1, onPath, nested);
    if (below === null) return [];
    const given = nested[row.field] ?? {};
    const missing = field.args.filter((arg) => isRequired(arg) && !(arg.name in given));
    if (missing.length > 0) {
      throw new Error(
        `${row.field} needs ${missing.map((a) => a.name).join(', ')}: add it to nestedArguments in test/authorization/fixtures.ts`,
      );
    }
    const args = Object.entries(given).map(([name, value]) => `${name}: ${literal(value)}`);
    return [{ row, head: args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name, below }];
  });
  return fields.length > 0 ? { fields } : null;
}

function rowsOf(selection: Selection | undefined): Row[] {
  if (!selection) return [];
  if ('fragments' in selection) return selection.fragments.flatMap((fragment) => rowsOf(fragment.selection));
  return selection.fields.flatMap((field) => [field.row, ...rowsOf(field.below)]);
}

/** The selection's text without the excluded rows; `__typename` stands in for an emptied one. */
function render(selection: Selection, exclude: ReadonlySet<string>): string {
  if ('fragments' in selection) {
    const fragments = selection.fragments.map((f) => `... on ${f.on} { ${render(f.selection, exclude)} }`);
    return `__typename ${fragments.join(' ')}`;
  }
  const fields = selection.fields
    .filter((field) => !exclude.has(field.row.path))
    .map((field) => (field.below ? `${field.head} { ${render(field.below, exclude)} }` : field.head));
  return fields.length > 0 ? fields.join(' ') : '__typename';
}

const rootTypes = (schema: GraphQLSchema): [RootKind, GraphQLObjectType][] =>
  (
    [
      ['Query', schema.getQueryType()],
      ['Mutation', schema.getMutationType()],
      ['Subscription', schema.getSubscriptionType()],
    ] as const
  ).flatMap(([kind, type]) => (type ? [[kind, type] as [RootKind, GraphQLObjectType]] : []));

function rootSelection(
  schema: GraphQLSchema,
  kind: RootKind,
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  nested: NestedArguments,
): RootSelection {
  const root = `${kind}.${field.name}`;
  const top: Row = { path: root, steps: [{ key: field.name }], field: `${type.name}.${field.name}` };
  const below = selectType(schema, getNamedType(field.type), top, 2, new Set([type.name]), nested);
  if (below === null) throw new Error(`${root}: nothing below it can be selected within depth ${MAX_DEPTH}`);
  return {
    root,
    kind,
    rows: [top, ...rowsOf(below)],
    select: (given, exclude) => {
      const args = given.map((name) => {
        const arg = field.args.find((a) => a.name === name);
        if (!arg) throw new Error(`${root} has no argument ${name} (its fixture in test/authorization/fixtures.ts)`);
        return arg;
      });
      const missing = field.args.filter((arg) => isRequired(arg) && !given.includes(arg.name));
      if (missing.length > 0) throw new Error(`${root}: its fixture gives no ${missing.map((a) => a.name).join(', ')}`);
      const passed = args.map((arg) => `${arg.name}: $${variableName(root, arg.name)}`).join(', ');
      return {
        definitions: args.map((arg) => `$${variableName(root, arg.name)}: ${String(arg.type)}`),
        selection: `${field.name}${passed ? `(${passed})` : ''}${below ? ` { ${render(below, exclude)} }` : ''}`,
      };
    },
  };
}

/** An operation selecting `parts` (root fields of one kind); an excluded root field is left out. */
function operation(name: string, parts: readonly RootSelection[]): MatrixOperation {
  const kind = parts[0]?.kind ?? 'Query';
  return {
    name,
    kind,
    roots: parts.map((part) => part.root),
    rows: parts.flatMap((part) => part.rows),
    text: (args, exclude = new Set()) => {
      const selected = parts
        .filter((part) => !exclude.has(part.root))
        .map((part) => part.select(args[part.root] ?? [], exclude));
      const definitions = selected.flatMap((part) => part.definitions).join(', ');
      const operationName = `Matrix_${name.replace('.', '_')}`;
      return `${kind.toLowerCase()} ${operationName}${definitions ? `(${definitions})` : ''} { ${selected
        .map((part) => part.selection)
        .join(' ')} }`;
    },
  };
}

/**
 * The matrix's operations, in schema order: one per root field of Mutation (each call has
 * effects) and of Subscription (one root field each), and one for every root field of
 * Query at once (they are independent; one request per caller instead of one per field,
 * which the router's rate limit per client address needs).
 */
export function buildOperations(schema: GraphQLSchema, nested: NestedArguments = {}): MatrixOperation[] {
  const parts = rootTypes(schema).map(
    ([kind, type]) =>
      [kind, Object.values(type.getFields()).map((field) => rootSelection(schema, kind, type, field, nested))] as const,
  );
  return parts.flatMap(([kind, selections]) =>
    kind === 'Query' ? [operation('Query', selections)] : selections.map((part) => operation(part.root, [part])),
  );
}

/** Every `Type.field` of every object type (root types included, introspection types not). */
export function schemaFields(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`))
    .sort();
}
