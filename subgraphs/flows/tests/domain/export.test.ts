import {
  parse as parseDot,
  type AttributeASTNode,
  type EdgeASTNode,
  type GraphASTNode,
  type NodeASTNode,
} from '@ts-graphviz/ast';
import { describe, expect, it } from 'vitest';
import { exportDot } from '../../src/domain/export/dot.js';
import { exportFlow } from '../../src/domain/export/index.js';
import { compactEdge, compactNode, exportJson } from '../../src/domain/export/json.js';
import { exportMermaid } from '../../src/domain/export/mermaid.js';
import { exportSvg } from '../../src/domain/export/svg.js';
import type { FlowGraph } from '../../src/domain/model.js';
import { layoutFlow } from '../../src/domain/layout.js';
import { charsPerLine, wrapLabel } from '../../src/domain/measure.js';
import { checkout, edge, hostile, node, signUp } from './fixtures.js';
import { findAll, parseXml, type XmlElement } from './xml.js';

describe('exportJson', () => {
  it('writes a versioned document that any JSON parser reads back to the graph', () => {
    const graph = hostile();
    const document = JSON.parse(exportJson(graph, 'Sign "up" <flow>'));
    expect(document).toEqual({
      format: 'ux-flow-engine/flow',
      version: 1,
      name: 'Sign "up" <flow>',
      nodes: graph.nodes.map(compactNode),
      edges: graph.edges.map(compactEdge),
    });
  });
});

describe('exportMermaid', () => {
  it('writes a flowchart with shapes by type, safe ids, and metadata comments', () => {
    const graph: FlowGraph = {
      nodes: [node('start', 'start', 'Go'), node('end', 'decision', 'Say "yes"?'), node('x y', 'end', 'Done')],
      edges: [{ ...edge('e1', 'start', 'end', 'a|b'), condition: 'c' }, edge('e2', 'end', 'x y')],
    };
    expect(exportMermaid(graph, 'Demo')).toBe(
      [
        'flowchart TD',
        '  %% ufe:flow {"format":"ux-flow-engine/flow","version":1,"name":"Demo"}',
        '  %% ufe:node n0 {"id":"start","type":"start","position":{"x":0,"y":0}}',
        '  n0(["Go"])',
        '  %% ufe:node n1 {"id":"end","type":"decision","position":{"x":0,"y":0}}',
        '  n1{"Say #quot;yes#quot;?"}',
        '  %% ufe:node n2 {"id":"x y","type":"end","position":{"x":0,"y":0}}',
        '  n2(["Done"])',
        '  %% ufe:edge n0 n1 {"id":"e1","condition":"c"}',
        '  n0 -->|"a#124;b"| n1',
        '  %% ufe:edge n1 n2 {"id":"e2"}',
        '  n1 --> n2',
        '',
      ].join('\n'),
    );
  });
});

/** The inverse of our DOT strings: Graphviz's `\\`, `\"` and `\n`, then the entities we write. */
const unescapeDot = (text: string) =>
  text
    .replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c))
    .replace(/&#(\d+);|&amp;/g, (_, code?: string) => (code ? String.fromCodePoint(Number(code)) : '&'));

interface DotStatement {
  attributes: Record<string, string | undefined>;
}

function readDot(dot: string) {
  const graph = parseDot(dot).children.find((child): child is GraphASTNode => child.type === 'Graph')!;
  const attributes = (statement: NodeASTNode | EdgeASTNode): DotStatement['attributes'] =>
    Object.fromEntries(
      statement.children
        .filter((child): child is AttributeASTNode => child.type === 'Attribute')
        .map((a) => [a.key.value, a.value.quoted === true ? unescapeDot(a.value.value) : a.value.value]),
    );
  return {
    kind: graph.directed ? 'digraph' : 'graph',
    name: unescapeDot(graph.id?.value ?? ''),
    nodes: graph.children
      .filter((s): s is NodeASTNode => s.type === 'Node')
      .map((s) => ({ id: unescapeDot(s.id.value), attributes: attributes(s) })),
    edges: graph.children
      .filter((s): s is EdgeASTNode => s.type === 'Edge')
      .map((s) => ({
        ends: s.targets.map((t) => (t.type === 'NodeRef' ? unescapeDot(t.id.value) : null)),
        attributes: attributes(s),
      })),
  };
}

describe('exportDot', () => {
  it('writes a digraph that a DOT parser reads back to the same ids, labels, types and edges', () => {
    const graph = hostile();
    const dot = readDot(exportDot(graph, 'A "hostile" flow'));
    const lines = (text: string) => text.replace(/\r\n|\r/g, '\n');
    expect(dot.kind).toBe('digraph');
    expect(dot.name).toBe('A "hostile" flow');
    expect(dot.nodes.map((n) => [n.id, n.attributes['label'], n.attributes['class']])).toEqual(
      graph.nodes.map((n) => [lines(n.id), lines(n.label), n.type]),
    );
    expect(
      dot.edges.map((e) => [...e.ends, e.attributes['id'], e.attributes['label'], e.attributes['tooltip']]),
    ).toEqual(
      graph.edges.map((e) => [
        lines(e.source),
        lines(e.target),
        e.id,
        e.label == null ? undefined : lines(e.label),
        e.condition == null ? undefined : lines(e.condition),
      ]),
    );
  });

  it('gives each node type its own shape', () => {
    const shapes = readDot(exportDot(signUp(), 'x')).nodes.map((n) => [n.id, n.attributes['shape']]);
    expect(shapes).toEqual([
      ['start', 'oval'],
      ['form', 'box'],
      ['valid', 'diamond'],
      ['welcome', 'box'],
      ['end', 'oval'],
      ['hint', 'note'],
    ]);
  });
});

const byClass = (root: XmlElement, name: string) =>
  findAll(root, (el) => (el.attributes['class'] ?? '').split(' ').includes(name));

describe('exportSvg', () => {
  it('draws a standalone SVG that parses as XML, with every node, label and edge', async () => {
    const graph = hostile();
    const svg = await exportSvg(graph, 'Hostile <flow> & "friends"');
    const layout = await layoutFlow(graph);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(root.attributes['viewBox']).toMatch(/^0 0 \d+ \d+$/);
    expect(root.children.find((c) => c.name === 'title')?.text).toBe('Hostile <flow> & "friends"');

    const nodes = byClass(root, 'ufe-node');
    expect(nodes.map((g) => g.attributes['data-id'])).toEqual(graph.nodes.map((n) => n.id));
    for (const [i, g] of nodes.entries()) {
      const source = graph.nodes[i]!;
      expect(g.children.find((c) => c.name === 'title')?.text).toBe(source.label);
      // One tspan per wrapped line, each line exactly as the label wraps in the node's laid-out width.
      const shown = byClass(g, 'ufe-label')[0]!.children.map((span) => span.text);
      const width = layout.sizes.get(source.id)!.width;
      expect(shown).toEqual(wrapLabel(source.label, charsPerLine(source.type, width)));
      // Wrapping only moves whitespace: no character of the label is lost.
      expect(shown.join('').replace(/\s/g, '')).toBe(source.label.replace(/\s/g, ''));
    }
    const kinds = nodes.map((g) => g.attributes['class']);
    expect(kinds).toEqual(
      graph.nodes.map(
        (n) =>
          `ufe-node ufe-node-${['start', 'screen', 'decision', 'action', 'note', 'end'].includes(n.type) ? n.type : 'custom'}`,
      ),
    );

    const edges = byClass(root, 'ufe-edge');
    expect(edges.map((g) => [g.attributes['data-source'], g.attributes['data-target']])).toEqual(
      graph.edges.map((e) => [e.source, e.target]),
    );
    for (const g of edges) {
      const path = g.children.find((c) => c.name === 'path')!;
      expect(path.attributes['d']).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+$/);
      expect(path.attributes['marker-end']).toBe('url(#ufe-arrow)');
    }
    const captions = byClass(root, 'ufe-edge-label').map((t) => t.children.map((s) => s.text).join(' '));
    expect(captions.length).toBe(graph.edges.filter((e) => e.label != null || e.condition != null).length);
  });

  it('keeps markup in labels as text and loads nothing from elsewhere', async () => {
    const svg = await exportSvg(
      { nodes: [node('x', 'screen', '<script>alert(1)</script><image href="http://e.vil/x.png"/>')], edges: [] },
      'x',
    );
    const root = parseXml(svg);
    expect(findAll(root, (el) => ['script', 'image', 'foreignObject', 'style', 'a'].includes(el.name))).toEqual([]);
    const attributes = findAll(root, () => true).flatMap((el) => Object.entries(el.attributes));
    expect(attributes.filter(([key]) => key.endsWith('href'))).toEqual([]);
    expect(attributes.filter(([, value]) => value.includes('url(') && value !== 'url(#ufe-arrow)')).toEqual([]);
    expect(
      byClass(root, 'ufe-label')[0]!
        .children.map((s) => s.text)
        .join(''),
    ).toContain('<script>');
  });

  it('replaces characters XML cannot carry instead of writing an unreadable file', async () => {
    const svg = await exportSvg({ nodes: [node('bell\u0007', 'screen', 'nul\u0000 and \ud800 lone')], edges: [] }, 'x');
    const root = parseXml(svg);
    expect(byClass(root, 'ufe-node')[0]!.attributes['data-id']).toBe('bell\ufffd');
    expect(findAll(root, (el) => el.name === 'title')[1]!.text).toBe('nul\ufffd and \ufffd lone');
  });

  it('draws one distinct shape per node type', async () => {
    const graph: FlowGraph = {
      nodes: ['start', 'screen', 'action', 'decision', 'end', 'note', 'custom'].map((type) => node(type, type)),
      edges: [],
    };
    const root = parseXml(await exportSvg(graph, 'shapes'));
    const signature = byClass(root, 'ufe-node').map((g) =>
      g.children
        .filter((c) => c.name !== 'title' && c.name !== 'text')
        .map((c) => `${c.name}:${c.attributes['rx'] ?? ''}:${c.attributes['stroke-dasharray'] ?? ''}`)
        .join('+'),
    );
    expect(new Set(signature).size).toBe(graph.nodes.length);
  });
});

describe('exportFlow', () => {
  it.each([
    ['JSON', 'application/json', 'json'],
    ['MERMAID', 'text/vnd.mermaid', 'mmd'],
    ['DOT', 'text/vnd.graphviz', 'dot'],
    ['SVG', 'image/svg+xml', 'svg'],
  ] as const)('exports %s with its media type', async (format, mimeType, extension) => {
    const exported = await exportFlow(checkout(), format, 'Checkout');
    expect(exported).toMatchObject({ format, mimeType, extension });
    expect(exported.content).toContain('Checkout');
  });
});
