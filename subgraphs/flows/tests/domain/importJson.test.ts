import { describe, expect, it } from 'vitest';
import { FLOW_LIMITS } from '../../src/domain/model.js';
import { FlowImportError, importFlow, importFlowDocument } from '../../src/domain/import/index.js';

const node = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'screen', label: id, ...extra });
const doc = (nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'ux-flow-engine/flow', version: 1, name: 'x', nodes, edges, ...extra });

function failure(text: string): FlowImportError {
  try {
    importFlow(text, 'JSON');
  } catch (error) {
    expect(error).toBeInstanceOf(FlowImportError);
    return error as FlowImportError;
  }
  throw new Error('expected the import to fail');
}

describe('importJson', () => {
  it('accepts a hand-written document without format, version, name or positions, trimming like the ops API', () => {
    const text = JSON.stringify({
      nodes: [{ id: ' a ', type: 'start', label: ' Go ', data: null, size: null }],
      edges: [{ id: 'e', source: 'a', target: 'a', label: '  ', condition: null }],
    });
    expect(importFlowDocument(text, 'JSON')).toEqual({
      name: null,
      graph: {
        nodes: [{ id: 'a', type: 'start', label: 'Go', position: { x: 0, y: 0 } }],
        edges: [{ id: 'e', source: 'a', target: 'a' }],
      },
    });
  });

  it('gives a line and column for text that is not JSON', () => {
    const error = failure('{\n  "nodes": [\n    { "id": "a", }\n  ]\n}');
    expect(error.message).toBe(
      'The input is not valid JSON at line 3, column 18: Expected double-quoted property name.',
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', format: 'JSON', line: 3, column: 18 });
    expect(failure('').message).toBe('The input is not valid JSON: Unexpected end of JSON input');
  });

  it.each([
    ['a root that is not an object', '[]', '$: the document must be an object.'],
    ['a foreign format', doc([], [], { format: 'drawio' }), '$.format: must be "ux-flow-engine/flow".'],
    ['a newer version', doc([], [], { version: 2 }), '$.version: must be 1: this server reads version 1 documents.'],
    ['missing nodes', '{"edges":[]}', '$.nodes: must be an array.'],
    ['a node that is not an object', doc([42]), '$.nodes[0]: must be an object.'],
    ['a blank id', doc([node('  ')]), '$.nodes[0].id: must be a string of 1 to 128 characters.'],
    ['an id too long', doc([node('x'.repeat(129))]), '$.nodes[0].id: must be a string of 1 to 128 characters.'],
    [
      'an unknown type',
      doc([node('a', { type: 'Start Here' })]),
      '$.nodes[0].type: must be start, screen, action, decision, end, note, or a custom type: a lowercase letter, then up to 39 of a-z 0-9 _ -.',
    ],
    ['a missing label', doc([node('a', { label: undefined })]), '$.nodes[0].label: must be a non-empty string.'],
    [
      'a label too long',
      doc([node('a', { label: 'x'.repeat(FLOW_LIMITS.labelLength + 1) })]),
      '$.nodes[0].label: has at most 500 characters.',
    ],
    [
      'a position that is not a number',
      doc([node('a', { position: { x: '1', y: 2 } })]),
      '$.nodes[0].position.x: must be a finite number.',
    ],
    [
      'a size of zero',
      doc([node('a', { size: { width: 0, height: 10 } })]),
      '$.nodes[0].size: must have a positive width and height.',
    ],
    [
      'data over 16 KB',
      doc([node('a', { data: 'x'.repeat(FLOW_LIMITS.dataBytes) })]),
      '$.nodes[0].data: is 16386 bytes as JSON; a node holds at most 16384.',
    ],
    ['a duplicate node id', doc([node('a'), node('a')]), '$.nodes[1].id: repeats the id "a" of $.nodes[0].'],
    [
      'a duplicate edge id',
      doc(
        [node('a')],
        [
          { id: 'e', source: 'a', target: 'a' },
          { id: 'e', source: 'a', target: 'a' },
        ],
      ),
      '$.edges[1].id: repeats the id "e" of $.edges[0].',
    ],
    [
      'a dangling edge',
      doc([node('a')], [{ id: 'e', source: 'a', target: 'ghost' }]),
      '$.edges[0].target: "ghost" is not the id of a node.',
    ],
    [
      'an edge label that is not a string',
      doc([node('a')], [{ id: 'e', source: 'a', target: 'a', label: 5 }]),
      '$.edges[0].label: must be a string or null.',
    ],
    [
      'a condition too long',
      doc([node('a')], [{ id: 'e', source: 'a', target: 'a', condition: 'x'.repeat(501) }]),
      '$.edges[0].condition: has at most 500 characters.',
    ],
  ])('rejects %s, naming its JSON path', (_name, text, message) => {
    const error = failure(text);
    expect(error.message).toBe(message);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', format: 'JSON', path: message.split(':')[0] });
  });

  it('rejects more nodes or edges than a flow holds', () => {
    const nodes = Array.from({ length: FLOW_LIMITS.nodes + 1 }, (_, i) => node(`n${i}`));
    expect(failure(doc(nodes)).message).toBe('$.nodes: has 2001 items; a flow holds at most 2000 nodes.');
    const edges = Array.from({ length: FLOW_LIMITS.edges + 1 }, (_, i) => ({ id: `e${i}`, source: 'a', target: 'a' }));
    expect(failure(doc([node('a')], edges)).message).toBe('$.edges: has 5001 items; a flow holds at most 5000 edges.');
  });

  it('rejects input over 2 MB before parsing it', () => {
    const text = doc([node('a', { label: 'x'.repeat(FLOW_LIMITS.inputBytes) })]);
    expect(failure(text).message).toMatch(/^The input is \d+ bytes; an import takes at most 2097152 bytes \(2 MB\)\.$/);
  });
});
