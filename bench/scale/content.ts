// The content of a seeded flow: a small checkout-like path of screens and decisions, as
// the listing copy stores it (`{ nodes, edges }` JSON text) and as ops the API takes.
import type { EdgeRecord, NodeRecord } from '../../subgraphs/flows/src/domain/model.js';

export const NODES_PER_FLOW = 10;

const typeOf = (index: number, count: number): string =>
  index === 0 ? 'start' : index === count - 1 ? 'end' : index % 4 === 0 ? 'decision' : 'screen';

const STEPS = ['Landing', 'Sign in', 'Cart', 'Shipping address', 'Delivery options', 'Payment details', 'Review'];

/** `count` nodes along a path, a second branch from each decision. */
export function flowGraph(count = NODES_PER_FLOW): { nodes: NodeRecord[]; edges: EdgeRecord[] } {
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const type = typeOf(index, count);
    nodes.push({
      id: `n${index}`,
      type,
      label: type === 'screen' ? `${STEPS[index % STEPS.length] ?? 'Step'} ${index}` : `${type} ${index}`,
      x: 220 * (index % 5),
      y: 140 * Math.floor(index / 5),
      size: null,
      data: type === 'screen' ? JSON.stringify({ fields: 3 }) : null,
    });
  }
  for (let index = 0; index < count - 1; index += 1) {
    edges.push({ id: `e${index}`, source: `n${index}`, target: `n${index + 1}`, label: null, condition: null });
    if (typeOf(index, count) === 'decision' && index + 3 < count) {
      edges.push({
        id: `b${index}`,
        source: `n${index}`,
        target: `n${index + 3}`,
        label: 'no',
        condition: 'cart is empty',
      });
    }
  }
  return { nodes, edges };
}

/** The listing copy's text of `flowGraph()`. */
export const listingText = (): string => JSON.stringify(flowGraph());

/** The same graph as `applyFlowOps` input. */
export function flowOps(): Record<string, unknown>[] {
  const { nodes, edges } = flowGraph();
  return [
    ...nodes.map(({ id, type, label, x, y, data }) => ({
      kind: 'ADD_NODE',
      node: { id, type, label, position: { x, y }, ...(data ? { data: JSON.parse(data) as unknown } : {}) },
    })),
    ...edges.map(({ id, source, target, label, condition }) => ({
      kind: 'ADD_EDGE',
      edge: { id, source, target, label, condition },
    })),
  ];
}
