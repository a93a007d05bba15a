import type { FlowGraph, GraphEdge, GraphNode } from '../../src/domain/model.js';

/** Builds a node at the origin; tests care about structure, not placement. */
export const node = (id: string, type = 'screen', label = id): GraphNode => ({
  id,
  type,
  label,
  position: { x: 0, y: 0 },
});

export const edge = (id: string, source: string, target: string, label?: string): GraphEdge => ({
  id,
  source,
  target,
  ...(label !== undefined ? { label } : {}),
});

/** `"a>b, b>c"` → edges a→b, b→c with ids `a-b`, `b-c`. */
export const edges = (spec: string): GraphEdge[] =>
  spec
    .split(',')
    .map((pair) => pair.trim().split('>') as [string, string])
    .map(([source, target]) => edge(`${source}-${target}`, source, target));

/**
 * Sign-up: start → form → valid? → (yes) welcome → end, (no) form; plus a note.
 * Cyclic through the retry.
 */
export const signUp = (): FlowGraph => ({
  nodes: [
    node('start', 'start', 'Open app'),
    node('form', 'screen', 'Sign-up form'),
    node('valid', 'decision', 'Valid?'),
    node('welcome', 'screen', 'Welcome'),
    node('end', 'end', 'Signed up'),
    node('hint', 'note', 'Password rules live in the wiki'),
  ],
  edges: [
    edge('e1', 'start', 'form'),
    edge('e2', 'form', 'valid'),
    edge('e3', 'valid', 'welcome', 'yes'),
    edge('e4', 'valid', 'form', 'no'),
    edge('e5', 'welcome', 'end'),
    edge('e6', 'hint', 'form'),
  ],
});

/**
 * A DAG: start → choose → (a) pay-card → confirm → end; (b) pay-later → end; (c) skip → confirm.
 */
export const checkout = (): FlowGraph => ({
  nodes: [
    node('s', 'start'),
    node('choose', 'decision'),
    node('card', 'screen'),
    node('later', 'action'),
    node('skip', 'screen'),
    node('confirm', 'screen'),
    node('done', 'end'),
  ],
  edges: edges(
    's>choose, choose>card, choose>later, choose>skip, card>confirm, skip>confirm, confirm>done, later>done',
  ),
});

/** Strings that break naive escaping in every format we write. */
export const HOSTILE = [
  'He said "hi" & left',
  '[brackets] (parens) {braces} ((circle)) ([stadium])',
  'a | b || c',
  'line one\nline two\r\nline three',
  '<script>alert("x")</script>',
  'Ünïcödé 漢字 😀 \u2028 separator',
  '#quot; #35; and <br> written out',
  'back\\slash "quoted" \\',
  'semi; colon: & amp; %% not a comment',
  'end',
  'tab\there',
  '--> arrow ==> -.-> ~~~',
  "it's `code`",
] as const;

/** Hostile ids, labels, edge labels and conditions, with ids that collide with our own Mermaid ids. */
export const hostile = (): FlowGraph => {
  const ids = ['id with spaces', '"quoted"', 'end', 'n0', 'a-->b', 'emoji😀', 'back\\slash', 'new\nline', 'subgraph'];
  const types = ['start', 'screen', 'decision', 'action', 'note', 'custom_type', 'screen', 'end', 'x-y'];
  return {
    nodes: ids.map((id, i) => ({
      id,
      type: types[i]!,
      label: HOSTILE[i % HOSTILE.length]!,
      position: { x: i * 10.5, y: 100 - i },
      ...(i % 3 === 0 ? { data: { html: '<b>"x"</b>', list: [1, null, 'é'], nested: { deep: true } } } : {}),
      ...(i === 4 ? { size: { width: 200, height: 80 } } : {}),
    })),
    edges: ids.slice(1).map((id, i) => ({
      id: `edge ${Array.from(HOSTILE[(i + 3) % HOSTILE.length]!)
        .slice(0, 12)
        .join('')
        .trim()}`,
      source: ids[i]!,
      target: id,
      ...(i % 2 === 0 ? { label: HOSTILE[(i + 5) % HOSTILE.length]! } : {}),
      ...(i % 3 === 0 ? { condition: HOSTILE[(i + 7) % HOSTILE.length]! } : {}),
    })),
  };
};
