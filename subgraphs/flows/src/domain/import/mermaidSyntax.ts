import { decodeMermaidText } from '../mermaidText.js';

/** The classic flowchart shapes, by their Mermaid names. */
export type MermaidShape =
  | 'rect'
  | 'round'
  | 'stadium'
  | 'subroutine'
  | 'cylinder'
  | 'circle'
  | 'doublecircle'
  | 'asymmetric'
  | 'rhombus'
  | 'hexagon'
  | 'parallelogram'
  | 'trapezoid';

/** Openers longest first, so `((` is not read as `(`. */
const SHAPES: readonly (readonly [string, readonly string[], MermaidShape])[] = [
  ['(((', [')))'], 'doublecircle'],
  ['((', ['))'], 'circle'],
  ['([', ['])'], 'stadium'],
  ['(', [')'], 'round'],
  ['[[', [']]'], 'subroutine'],
  ['[(', [')]'], 'cylinder'],
  ['[/', ['/]', '\\]'], 'parallelogram'],
  ['[\\', ['\\]', '/]'], 'trapezoid'],
  ['[', [']'], 'rect'],
  ['{{', ['}}'], 'hexagon'],
  ['{', ['}'], 'rhombus'],
  ['>', [']'], 'asymmetric'],
];

export interface NodeRef {
  id: string;
  /** Null when the statement only names the node. */
  shape: MermaidShape | null;
  label: string | null;
}

/** `groups[k]` links to `groups[k + 1]` with `labels[k]`; `A & B --> C` makes a group of two. */
export interface Statement {
  groups: NodeRef[][];
  labels: (string | null)[];
}

/** Reports a syntax error at a 1-based column of the line. */
export type SyntaxFail = (message: string, column: number) => never;

const ID = /[\p{L}\p{N}_]+(?:[-.][\p{L}\p{N}_]+)*/uy;
/** A whole link: `-->`, `---`, `--x`, `<-->`, `==>`, `-.->`, `~~~`, with longer variants. */
const LINK = /[<ox]?(?:-{2,}[>ox]|-{3,}|={2,}[>ox]|={3,}|-\.+-[>ox]?)|~{3,}/y;
/** The first half of a link with its text inline (`-- text -->`), and what closes each. */
const TEXT_LINK = /[<ox]?(--|==|-\.)/y;
const TEXT_LINK_END: Readonly<Record<string, RegExp>> = {
  '--': /-{2,}[>ox]|-{3,}/g,
  '==': /={2,}[>ox]|={3,}/g,
  '-.': /\.+-[>ox]?/g,
};

/**
 * Node and link statements of one line of a flowchart, `;`-separated: `A`, `A[Label]`,
 * `A --> B`, `A -->|label| B`, `A -- label --> B`, chains and `&` groups. Keyword lines
 * (`subgraph`, `classDef`, …) are the caller's business.
 */
export function parseStatements(line: string, fail: SyntaxFail): Statement[] {
  let pos = 0;
  const statements: Statement[] = [];
  const skipSpace = () => {
    while (pos < line.length && /\s/.test(line[pos]!)) pos++;
  };
  const sticky = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = pos;
    const match = pattern.exec(line);
    if (match) pos = pattern.lastIndex;
    return match;
  };
  const shown = () => JSON.stringify(line.slice(pos, pos + 20));

  const quoted = (): string => {
    const close = line.indexOf('"', pos + 1);
    if (close < 0) fail('this quoted text is not closed: add a ".', pos + 1);
    const text = line.slice(pos + 1, close);
    pos = close + 1;
    return text;
  };

  const nodeRef = (): NodeRef => {
    skipSpace();
    const start = pos;
    const id = sticky(ID)?.[0];
    if (!id) return fail(`expected a node id, found ${shown()}.`, start + 1);
    if (line[pos] === '@') {
      fail(
        `node "${id}" uses the @{ … } shape syntax, which import does not read; use ${id}[…], ${id}(…), ${id}([…]), ${id}{…} or ${id}((…)).`,
        pos + 1,
      );
    }
    const shape = SHAPES.find(([open]) => line.startsWith(open, pos));
    let ref: NodeRef = { id, shape: null, label: null };
    if (shape) {
      const [open, closers, name] = shape;
      const opened = pos;
      pos += open.length;
      let text: string;
      if (line[pos] === '"') {
        text = quoted();
        skipSpace();
        const closer = closers.find((c) => line.startsWith(c, pos));
        if (!closer)
          fail(`node "${id}" opens its shape with ${open} but does not close it with ${closers[0]}.`, pos + 1);
        pos += closer.length;
      } else {
        const ends = closers.map((c) => [line.indexOf(c, pos), c] as const).filter(([at]) => at >= 0);
        if (ends.length === 0) {
          fail(`node "${id}" opens its shape with ${open} but does not close it with ${closers[0]}.`, opened + 1);
        }
        const [at, closer] = ends.reduce((a, b) => (b[0] < a[0] ? b : a));
        text = line.slice(pos, at).trim();
        pos = at + closer.length;
      }
      ref = { id, shape: name, label: decodeMermaidText(text) };
    }
    // `:::class` styles the node; styling is not part of the flow.
    sticky(/:::[\w-]+/y);
    return ref;
  };

  const group = (): NodeRef[] => {
    const refs = [nodeRef()];
    for (;;) {
      skipSpace();
      if (line[pos] !== '&') return refs;
      pos++;
      refs.push(nodeRef());
    }
  };

  const pipeLabel = (): string | null => {
    skipSpace();
    if (line[pos] !== '|') return null;
    const opened = pos;
    pos++;
    skipSpace();
    let text: string;
    if (line[pos] === '"') {
      text = quoted();
      skipSpace();
      if (line[pos] !== '|') fail('the link label is not closed: add a |.', opened + 1);
    } else {
      const close = line.indexOf('|', pos);
      if (close < 0) fail('the link label is not closed: add a |.', opened + 1);
      text = line.slice(pos, close);
      pos = close;
    }
    pos++;
    return text;
  };

  const link = (): string | null => {
    skipSpace();
    const start = pos;
    if (sticky(LINK)) return label(pipeLabel());
    const inline = sticky(TEXT_LINK);
    if (!inline) return fail(`expected a link such as --> or the end of the statement, found ${shown()}.`, start + 1);
    skipSpace();
    if (line[pos] === '"') {
      const text = quoted();
      skipSpace();
      if (!sticky(new RegExp(TEXT_LINK_END[inline[1]!]!.source, 'y'))) {
        fail(`the link text is not followed by the rest of the link (such as -->).`, pos + 1);
      }
      return label(text);
    }
    const end = new RegExp(TEXT_LINK_END[inline[1]!]!.source, 'g');
    end.lastIndex = pos;
    const match = end.exec(line);
    if (!match)
      return fail(`the link starting with ${inline[0]} is not completed (such as --> after its text).`, start + 1);
    const text = line.slice(pos, match.index);
    pos = match.index + match[0].length;
    return label(text);
  };

  for (;;) {
    skipSpace();
    if (pos >= line.length) return statements;
    if (line[pos] === ';') {
      pos++;
      continue;
    }
    const statement: Statement = { groups: [group()], labels: [] };
    for (;;) {
      skipSpace();
      if (pos >= line.length || line[pos] === ';') break;
      statement.labels.push(link());
      statement.groups.push(group());
    }
    statements.push(statement);
  }
}

/** Link text as the graph keeps it: decoded, trimmed, and blank meaning none. */
function label(text: string | null): string | null {
  const decoded = text === null ? '' : decodeMermaidText(text).trim();
  return decoded.length === 0 ? null : decoded;
}
