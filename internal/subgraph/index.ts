export { buildFederatedSchema, type ReferenceResolvers } from './buildFederatedSchema.js';
export { startSubgraph, type RunningSubgraph, type SubgraphOptions } from './startSubgraph.js';
export { applyRules } from './applyRules.js';
export { isService, isSignedIn, isSignedInOrFanOut } from './rules.js';
