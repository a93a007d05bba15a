import { describe, expect, it } from 'vitest';
import { exportMermaid } from '../../src/domain/export/mermaid.js';
import { FLOW_LIMITS } from '../../src/domain/model.js';
import { FlowImportError, importFlow, importFlowDocument } from '../../src/domain/import/index.js';

const mermaid = (...lines: string[]) => lines.join('\n');

function failure(text: string): FlowImportError {
  try {
    importFlow(text, 'MERMAID');
  } catch (error) {
    expect(error).toBeInstanceOf(FlowImportError);
    return error as FlowImportError;
  }
  throw new Error('expected the import to fail');
}

describe('importMermaid: hand-written flowcharts', () => {
  it('reads shapes, link styles, labels, chains, groups, subgraphs, and skips styling', () => {
    const text = mermaid(
      '---',
      'title: "Checkout"',
      '---',
      '%%{init: {"theme": "dark"}}%%',
      'graph LR',
      '  %% a plain comment',
      '  S([Start]) --> C{Pay now?}',
      '  C -->|Yes| P[Card form] --> D([Done])',
      '  C -- Later --> L(Invoice)',
      '  L -.-> D',
      '  C == "Skip it" ==> D',
      '  A & B --> P',
      '  N>Remember VAT]',
      '  subgraph billing [Billing]',
      '    direction TB',
      '    X[[Audit]]',
      '  end',
      '  classDef hot fill:#f00',
      '  class P hot',
      '  style X fill:#eee',
      '  click P "https://example.com"',
      '  P:::hot --> X',
    );
    const { name, graph } = importFlowDocument(text, 'MERMAID');
    expect(name).toBe('Checkout');
    expect(graph.nodes.map((n) => [n.id, n.type, n.label])).toEqual([
      ['S', 'start', 'Start'],
      ['C', 'decision', 'Pay now?'],
      ['P', 'screen', 'Card form'],
      ['D', 'end', 'Done'],
      ['L', 'screen', 'Invoice'],
      ['A', 'screen', 'A'],
      ['B', 'screen', 'B'],
      ['N', 'note', 'Remember VAT'],
      ['X', 'screen', 'Audit'],
    ]);
    expect(graph.edges.map((e) => [e.id, e.source, e.target, e.label ?? null])).toEqual([
      ['e1', 'S', 'C', null],
      ['e2', 'C', 'P', 'Yes'],
      ['e3', 'P', 'D', null],
      ['e4', 'C', 'L', 'Later'],
      ['e5', 'L', 'D', null],
      ['e6', 'C', 'D', 'Skip it'],
      ['e7', 'A', 'P', null],
      ['e8', 'B', 'P', null],
      ['e9', 'P', 'X', null],
    ]);
    expect(graph.nodes.every((n) => n.position.x === 0 && n.position.y === 0)).toBe(true);
  });

  it('reads statements separated by semicolons, on the header line too, and every classic shape', () => {
    const graph = importFlow(
      'graph TD; a((Circle)) --> b(((Double))); c[(Db)] --- d[/In/]; e[\\Out\\] --> f{{Hex}}; g[/Trap\\]',
      'MERMAID',
    );
    expect(graph.nodes.map((n) => [n.id, n.type, n.label])).toEqual([
      ['a', 'start', 'Circle'],
      ['b', 'end', 'Double'],
      ['c', 'screen', 'Db'],
      ['d', 'screen', 'In'],
      ['e', 'screen', 'Out'],
      ['f', 'decision', 'Hex'],
      ['g', 'screen', 'Trap'],
    ]);
    expect(graph.edges).toHaveLength(3);
  });

  it('decodes entity codes and <br> in labels, quoted or not', () => {
    const graph = importFlow(
      mermaid('flowchart TD', '  A["Say #quot;hi#quot;<br/>#9829; #35;"] -->|a #amp; b| B[plain #lt;tag#gt;]'),
      'MERMAID',
    );
    expect(graph.nodes.map((n) => n.label)).toEqual(['Say "hi"\n♥ #', 'plain <tag>']);
    expect(graph.edges[0]?.label).toBe('a & b');
  });

  it('lets a later declaration relabel a node, as Mermaid does', () => {
    const graph = importFlow(mermaid('flowchart TD', '  A --> B', '  B[Better]'), 'MERMAID');
    expect(graph.nodes.map((n) => n.label)).toEqual(['A', 'Better']);
  });

  it('gives generated edge ids that do not collide with restored ones', () => {
    const text = mermaid('flowchart TD', '  %% ufe:edge a b {"id":"e1"}', '  a --> b', '  b --> c');
    expect(importFlow(text, 'MERMAID').edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('restores exported ids even when they look like Mermaid keywords or our own safe ids', () => {
    const graph = {
      nodes: [
        { id: 'n1', type: 'start', label: 'Start', position: { x: 1, y: 2 } },
        { id: 'end', type: 'end', label: 'End', position: { x: 3, y: 4 } },
      ],
      edges: [{ id: 'n0', source: 'n1', target: 'end' }],
    };
    expect(importFlow(exportMermaid(graph, 'x'), 'MERMAID')).toEqual(graph);
  });
});

describe('importMermaid: errors say what and where', () => {
  it.each([
    ['empty input', '', 'Line 1: there is no flowchart: start with "flowchart TD" or "graph LR".'],
    [
      'another kind of diagram',
      'sequenceDiagram\n  A->>B: hi',
      'Line 1: only flowcharts can be imported: start with "flowchart TD" or "graph LR" (found "sequenceDiagram").',
    ],
    [
      'the @{ } shape syntax',
      'flowchart TD\n  A@{ shape: cloud }',
      'Line 2, column 4: node "A" uses the @{ … } shape syntax, which import does not read; use A[…], A(…), A([…]), A{…} or A((…)).',
    ],
    [
      'a shape that is never closed',
      'flowchart TD\n  A[Label --> B',
      'Line 2, column 4: node "A" opens its shape with [ but does not close it with ].',
    ],
    [
      'mismatched brackets',
      'flowchart TD\n  A --> B{Choice)',
      'Line 2, column 10: node "B" opens its shape with { but does not close it with }.',
    ],
    [
      'an unknown link',
      'flowchart TD\n  A <> B',
      'Line 2, column 5: expected a link such as --> or the end of the statement, found "<> B".',
    ],
    [
      'an unclosed quote',
      'flowchart TD\n  A["oops] --> B',
      'Line 2, column 5: this quoted text is not closed: add a ".',
    ],
    [
      'an unclosed link label',
      'flowchart TD\n  A -->|oops B',
      'Line 2, column 8: the link label is not closed: add a |.',
    ],
    [
      'a link with text but no arrow',
      'flowchart TD\n  A -- text B',
      'Line 2, column 5: the link starting with -- is not completed (such as --> after its text).',
    ],
    [
      'metadata for a node the chart never uses',
      'flowchart TD\n  %% ufe:node n7 {"id":"x","type":"screen"}\n  n0',
      'Line 2: this %% ufe:node comment is for n7, which the flowchart never uses.',
    ],
    [
      'edge metadata that names other nodes than its edge',
      'flowchart TD\n  %% ufe:edge n0 n1 {"id":"e"}\n  n0 --> n2',
      'Line 2: this %% ufe:edge comment is for n0 → n1, but the next edge (line 3) is n0 → n2.',
    ],
    [
      'edge metadata with no edge after it',
      'flowchart TD\n  a --> b\n  %% ufe:edge a b {"id":"e"}',
      'Line 3: this %% ufe:edge comment is not followed by its edge.',
    ],
    [
      'metadata that is not JSON',
      'flowchart TD\n  %% ufe:node n0 {id: 1}\n  n0',
      /^Line 2: the %% ufe:node comment does not hold valid JSON \(.+\)\.$/,
    ],
    [
      'metadata with a bad type',
      'flowchart TD\n  %% ufe:node n0 {"id":"a","type":"Not A Type"}\n  n0',
      'Line 2: in the %% ufe:node comment, type must be start, screen, action, decision, end, note, or a custom type: a lowercase letter, then up to 39 of a-z 0-9 _ -.',
    ],
    [
      'two nodes restored to one id',
      'flowchart TD\n  %% ufe:node n0 {"id":"a","type":"screen"}\n  %% ufe:node n1 {"id":"a","type":"screen"}\n  n0 --> n1',
      'Line 3: the node id "a" is also used on line 2.',
    ],
    [
      'two edges restored to one id',
      'flowchart TD\n  %% ufe:edge a b {"id":"e"}\n  a --> b\n  %% ufe:edge b a {"id":"e"}\n  b --> a',
      'Line 4: the edge id "e" is also used on line 2.',
    ],
    [
      'a newer document version',
      'flowchart TD\n  %% ufe:flow {"version":2}\n  a',
      'Line 2: this flowchart was written in version 2; this server reads version 1.',
    ],
  ])('rejects %s', (_name, text, message) => {
    const error = failure(text);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', format: 'MERMAID' });
    expect(error.extensions['line']).toBe(Number(/^Line (\d+)/.exec(error.message)?.[1]));
  });

  it('rejects more nodes or edges than a flow holds, at the line that crosses the limit', () => {
    const nodes = Array.from({ length: FLOW_LIMITS.nodes + 1 }, (_, i) => `  n${i}`);
    expect(failure(mermaid('flowchart TD', ...nodes)).message).toBe(
      `Line ${FLOW_LIMITS.nodes + 2}: the flow has more than 2000 nodes, the most an import takes.`,
    );
    const fan = Array.from({ length: 51 }, (_, i) => `n${i}`).join(' & ');
    const edges = mermaid('flowchart TD', `  ${fan} --> ${fan}`, `  ${fan} --> ${fan}`);
    expect(failure(edges).message).toBe('Line 3: the flow has more than 5000 edges, the most an import takes.');
  });

  it('rejects labels, conditions and data over their limits', () => {
    expect(failure(mermaid('flowchart TD', `  a["${'x'.repeat(501)}"]`)).message).toBe(
      'Line 2: the label of a has at most 500 characters.',
    );
    expect(failure(mermaid('flowchart TD', `  a -->|${'x'.repeat(501)}| b`)).message).toBe(
      'Line 2: an edge label has 501 characters; the most is 500.',
    );
    expect(
      failure(mermaid('flowchart TD', `  %% ufe:edge a b {"id":"e","condition":"${'x'.repeat(501)}"}`, '  a --> b'))
        .message,
    ).toBe('Line 2: in the %% ufe:edge comment, condition has at most 500 characters.');
    const data = JSON.stringify({ blob: 'x'.repeat(FLOW_LIMITS.dataBytes) });
    expect(
      failure(mermaid('flowchart TD', `  %% ufe:node n0 {"id":"a","type":"screen","data":${data}}`, '  n0')).message,
    ).toBe('Line 2: in the %% ufe:node comment, data is 16395 bytes as JSON; a node holds at most 16384.');
  });

  it('rejects input over 2 MB before reading it', () => {
    const text = `flowchart TD\n%% ${'x'.repeat(FLOW_LIMITS.inputBytes)}`;
    expect(failure(text).message).toBe('The input is 2097168 bytes; an import takes at most 2097152 bytes (2 MB).');
  });
});
