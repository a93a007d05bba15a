import { Counter, type Registry } from 'prom-client';
import type { SubgraphCallSavings } from '../dataSource.js';

/** What deduplication and shared calls save, by subgraph, on `/metrics`. */
export function savingsMetrics(registry: Registry): SubgraphCallSavings {
  const representations = new Counter({
    name: 'router_subgraph_duplicate_representations_total',
    help: 'Entity representations not sent because an identical one was in the same fetch.',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  const shared = new Counter({
    name: 'router_subgraph_shared_calls_total',
    help: 'Subgraph queries that joined an identical call in flight for the same identity.',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  return {
    duplicateRepresentations: (subgraph, count) => representations.inc({ subgraph }, count),
    sharedCall: (subgraph) => shared.inc({ subgraph }),
  };
}
