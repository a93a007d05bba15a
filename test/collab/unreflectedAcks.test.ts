// The convergence test's own check, on hand-made histories: a check that reports a loss
// that did not happen (or misses one) makes that test worthless.
import { describe, expect, it } from 'vitest';
import { unreflectedAcks, type Ack, type FlowEvent, type FlowState } from './simulation.js';

const event = (version: number, clientId: string, ops: FlowEvent['ops'] = []): FlowEvent => ({
  version,
  clientId,
  update: '',
  ops,
});
const addCold: FlowEvent['ops'][number] = {
  kind: 'ADD_NODE',
  nodeId: 'cold',
  edgeId: null,
  node: { id: 'cold', type: 'screen', label: 'cold', position: { x: 0, y: 0 }, data: null } as never,
  edge: null,
};
const state = (edges: string[]): FlowState => ({
  nodes: new Map([['cold', addCold.node as never]]),
  edges: new Map(edges.map((id) => [id, { id, source: 'cold', target: 'cold' } as never])),
});

describe('unreflectedAcks', () => {
  // One offline batch added node n and an edge from it to a cold node, then deleted n
  // (and so the edge): the push brings nothing, and nothing is lost.
  const push: Ack = {
    client: 'c9',
    version: 2,
    base: 1,
    effects: new Map<string, unknown>([
      ['node:n', null],
      ['edge:c9-e61', null],
    ]),
  };
  const history = [event(1, 'c0', [addCold]), event(2, 'c9')];

  it('accepts an edge the batch itself added and deleted', () => {
    expect(unreflectedAcks([push], history, state([]))).toEqual([]);
  });

  it('reports an edge the client deleted that is still there', () => {
    expect(unreflectedAcks([push], history, state(['c9-e61']))).toEqual(['c9: pushed v2 edge:c9-e61 not deleted']);
  });

  it('reports a pushed edge that is missing', () => {
    const added: Ack = { ...push, effects: new Map([['edge:c9-e61', { source: 'cold', target: 'cold' }]]) };
    expect(unreflectedAcks([added], history, state([]))).toEqual(['c9: pushed v2 edge:c9-e61 lost']);
  });
});
