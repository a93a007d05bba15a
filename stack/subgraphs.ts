/** The five domains, each a subgraph process; the default ports are the contract's layout. */
export const SUBGRAPHS = [
  { name: 'users', defaultPort: 4001, portVar: 'USERS_PORT' },
  { name: 'flows', defaultPort: 4002, portVar: 'FLOWS_PORT' },
  { name: 'knowledge', defaultPort: 4003, portVar: 'KNOWLEDGE_PORT' },
  { name: 'cognition', defaultPort: 4004, portVar: 'COGNITION_PORT' },
  { name: 'billing', defaultPort: 4005, portVar: 'BILLING_PORT' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const subgraphEntry = (name: SubgraphName): string => `subgraphs/${name}/src/index.ts`;

/** The router's variable for a subgraph's URL, e.g. `SUBGRAPH_USERS_URL`. */
export const subgraphUrlVar = (name: string): string => `SUBGRAPH_${name.toUpperCase()}_URL`;
