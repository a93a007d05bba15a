// Prints one subgraph's SDL (with federation directives) to stdout. Run in its own
// process per subgraph: type-graphql keeps its metadata in a process-wide store.
import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { createMemoryPubSub } from '#internal/pubsub';

const builders: Record<string, () => Promise<GraphQLSchema>> = {
  users: async () => (await import('../subgraphs/users/src/schema.js')).buildUsersSchema(createMemoryPubSub()),
  flows: async () => (await import('../subgraphs/flows/src/schema.js')).buildFlowsSchema(createMemoryPubSub()),
  knowledge: async () => (await import('../subgraphs/knowledge/src/schema.js')).buildKnowledgeSchema(),
  cognition: async () => (await import('../subgraphs/cognition/src/schema.js')).buildCognitionSchema(),
  billing: async () => (await import('../subgraphs/billing/src/schema.js')).buildBillingSchema(),
};

const name = process.argv[2] ?? '';
const build = builders[name];
if (!build) {
  process.stderr.write(`usage: printSdl <${Object.keys(builders).join('|')}>\n`);
  process.exit(2);
}
process.stdout.write(printSubgraphSchema(await build()));
