// What a response says about each row, and the committed table of those outcomes.
import type { MatrixOperation, Row, Step } from './operations.js';
import { ROLES, type Role } from './world.js';

/** `ok`, `null`, `empty` (a list with no items on the way) or an error's `extensions.code`. */
export type Outcome = string;

export interface MatrixResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

/**
 * How list items combine, weakest first: any refusal outranks a value, and a value outranks
 * a null (one event without a `subject` must not hide whether the others' subjects read).
 * Codes rank in this order first, then by name.
 */
const PLAIN = ['empty', 'null', 'ok'];
const CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'];
const rank = (outcome: Outcome): number => {
  const plain = PLAIN.indexOf(outcome);
  if (plain >= 0) return plain;
  const code = CODES.indexOf(outcome);
  return code >= 0 ? 100 - code : 10;
};

/** What a list of items gives: the highest ranked outcome, `empty` for none. */
export const combine = (outcomes: readonly Outcome[]): Outcome =>
  outcomes.reduce<Outcome>(
    (worst, next) => (rank(next) > rank(worst) || (rank(next) === rank(worst) && next < worst) ? next : worst),
    'empty',
  );

const codeOf = (error: NonNullable<MatrixResponse['errors']>[number]): Outcome =>
  typeof error.extensions?.code === 'string' ? error.extensions.code : 'NO_CODE';

/**
 * The outcome of `row` in `response`: the code of an error at the row's path or above it;
 * else `null` if the value or an ancestor is null; else `ok`. Lists are walked item by
 * item: a refusal of any item wins, then a value of any item (`combine`). An operation
 * refused whole (no `data`, an error without a path, as the router's 401/403) gives its
 * code to every row.
 */
export function classify(response: MatrixResponse, row: Row): Outcome {
  const errors = response.errors ?? [];
  if (response.data == null) {
    const whole = errors.filter((error) => !error.path || error.path.length === 0);
    if (whole.length > 0) return combine(whole.map(codeOf));
  }
  const errorsAt = new Map<string, Outcome[]>();
  for (const error of errors) {
    if (!error.path) continue;
    const key = JSON.stringify(error.path);
    errorsAt.set(key, [...(errorsAt.get(key) ?? []), codeOf(error)]);
  }
  const walk = (value: unknown, path: (string | number)[], steps: readonly Step[]): Outcome => {
    const here = errorsAt.get(JSON.stringify(path));
    if (here) return combine(here);
    if (value === null || value === undefined) {
      // Nulled from below (a non-null field refused under it): that error is still on the row's path.
      const below = [...path];
      for (const step of steps) {
        below.push(step.key);
        const there = errorsAt.get(JSON.stringify(below));
        if (there) return combine(there);
      }
      return 'null';
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return 'empty';
      return combine(value.map((item, index) => walk(item, [...path, index], steps)));
    }
    const [step, ...rest] = steps;
    if (!step) return 'ok';
    if (typeof value !== 'object') throw new Error(`expected an object at ${path.join('.')}`);
    const object = value as Record<string, unknown>;
    if (step.on && object['__typename'] !== step.on) return 'empty';
    return walk(object[step.key], [...path, step.key], rest);
  };
  return walk(response.data, [], row.steps);
}

/** The value at `path` in `data`, undefined when it is not there. */
function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/**
 * The rows whose errors nulled their parent, with those errors' codes: a refused non-null
 * field (or the router's removal of one) hides what its siblings would have given.
 */
function hiding(op: MatrixOperation, response: MatrixResponse): Map<string, Outcome[]> {
  const hidden = new Map<string, Outcome[]>();
  for (const error of response.errors ?? []) {
    // A root field that nulled `data` hides the others; a lone root field hides nothing.
    if (!error.path || error.path.length < (op.roots.length > 1 ? 1 : 2)) continue;
    const parent = valueAt(response.data, error.path.slice(0, -1));
    if (parent !== null && parent !== undefined) continue;
    const keys = error.path.filter((key): key is string => typeof key === 'string');
    for (const row of op.rows) {
      if (row.steps.length !== keys.length || row.steps.some((step, i) => step.key !== keys[i])) continue;
      hidden.set(row.path, [...(hidden.get(row.path) ?? []), codeOf(error)]);
    }
  }
  return hidden;
}

/**
 * A safety net: every round takes out at least one field, and the operation of all query
 * root fields can need a round for each root field a subgraph refuses (it nulls `data`).
 */
const MAX_ROUNDS = 40;

/** The shortest of `paths` that `row` is at or below. */
const outermost = (row: Row, paths: Iterable<string>): string | undefined =>
  [...paths]
    .filter((path) => row.path === path || row.path.startsWith(`${path}.`) || row.path.startsWith(`${path}[`))
    .sort((a, b) => a.length - b.length)[0];

/**
 * The outcome of every row of `op` for one caller. `send` runs the operation without the
 * excluded rows. While a refused field hides its siblings (it nulled their parent), it is
 * taken out and the operation sent again: that field and everything below it get the code
 * of its errors, every other row its outcome in the last response.
 */
export async function outcomesOf(
  op: MatrixOperation,
  send: (exclude: ReadonlySet<string>) => Promise<MatrixResponse>,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const exclude = new Set<string>();
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const response = await send(exclude);
    const hidden = hiding(op, response);
    for (const path of exclude) hidden.delete(path);
    for (const row of op.rows) {
      if (outcomes.has(row.path) || outermost(row, exclude)) continue;
      const hider = outermost(row, hidden.keys());
      if (hider) outcomes.set(row.path, combine(hidden.get(hider) ?? []));
      else if (hidden.size === 0) outcomes.set(row.path, classify(response, row));
    }
    if (hidden.size === 0) return outcomes;
    for (const path of hidden.keys()) exclude.add(path);
  }
  throw new Error(`${op.name}: fields still hidden after ${MAX_ROUNDS} rounds (taken out: ${[...exclude].join(', ')})`);
}

export type Matrix = Map<string, Record<Role, Outcome>>;

const HEADER = `<!--
  The authorization matrix: every field path reachable from a root field of the API
  schema, and what each caller gets there. Generated by test/authorizationMatrix.e2e.test.ts,
  which fails on any difference. After a deliberate change, regenerate and review the diff:

    UPDATE_AUTHZ_MATRIX=1 npx vitest run test/authorizationMatrix.e2e.test.ts

  Outcomes: ok (a value), null (the value or an ancestor is null without an error there),
  empty (an empty list on the way), or the code of the error at the path or above it.
  Over list items a refusal of any item wins, then a value of any item, then null. A
  refused non-null field nulls its parent; it is then taken out and the operation run
  again, so its siblings still get their own outcomes. Callers: anonymous (no token); viewer,
  editor, admin (members of workspace W); other (ADMIN of another workspace only).
  The fixtures (test/authorization/fixtures.ts) say what each root field is called with.
-->

# Authorization matrix
`;

/** The table as committed: a Markdown table sorted by path. */
export function renderMatrix(matrix: Matrix): string {
  const lines = [`| field path | ${ROLES.join(' | ')} |`, `| --- | ${ROLES.map(() => '---').join(' | ')} |`];
  for (const path of [...matrix.keys()].sort()) {
    const outcomes = matrix.get(path);
    lines.push(`| ${path} | ${ROLES.map((role) => outcomes?.[role] ?? '').join(' | ')} |`);
  }
  // Unpadded, so that a longer path does not re-pad (and re-diff) every row.
  return `${HEADER}\n<!-- prettier-ignore -->\n${lines.join('\n')}\n`;
}

/** Reads a committed table back; rows whose cells do not line up with the roles are an error. */
export function parseMatrix(text: string): Matrix {
  const matrix: Matrix = new Map();
  const rows = text.split('\n').filter((line) => line.startsWith('|'));
  for (const line of rows.slice(2)) {
    const [path, ...cells] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    if (!path || cells.length !== ROLES.length) throw new Error(`matrix.md: malformed row ${line}`);
    matrix.set(path, Object.fromEntries(ROLES.map((role, i) => [role, cells[i] ?? ''])) as Record<Role, Outcome>);
  }
  return matrix;
}

/** Human-readable differences: rows only one side has, and each differing cell. */
export function diffMatrix(expected: Matrix, actual: Matrix): string[] {
  const out: string[] = [];
  for (const [path, outcomes] of [...actual].sort(([a], [b]) => a.localeCompare(b))) {
    const committed = expected.get(path);
    if (!committed) {
      out.push(
        `not in matrix.md (a field without a reviewed rule): ${path}: ${ROLES.map((r) => `${r} ${outcomes[r]}`).join(', ')}`,
      );
      continue;
    }
    const changed = ROLES.filter((role) => committed[role] !== outcomes[role]);
    if (changed.length > 0) {
      const cells = changed.map((role) => `${role} ${committed[role]} in matrix.md, now ${outcomes[role]}`);
      out.push(`${path}: ${cells.join('; ')}`);
    }
  }
  for (const path of [...expected.keys()].sort()) {
    if (!actual.has(path)) out.push(`in matrix.md, no longer in the schema: ${path}`);
  }
  return out;
}
