/* global module */
/** Files of a subgraph's GraphQL API, by role. */
const API_FILE = '\\.(resolver|type|input|payload|args|rules|reference|mapper|validation)\\.ts$';

/** A subgraph's middle layer, between api/ and domain/: flows' live document (a new subgraph adds its own). */
const MIDDLE = '(collab|indexing)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'A cycle between two modules means one of them holds the wrong thing.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'internal-by-name',
      comment: 'Import internal/ libraries by name (#internal/<library>), not by a relative path.',
      severity: 'error',
      from: { pathNot: '^internal/' },
      to: { path: '^internal/', dependencyTypesNot: ['aliased-subpath-import'] },
    },

    {
      name: 'resolvers-stand-alone',
      comment: 'What two resolvers share lives in a module of its own, not in one of them.',
      severity: 'error',
      from: { path: '\\.resolver\\.ts$' },
      to: { path: '\\.resolver\\.ts$' },
    },
    // The same layers by file role, for subgraphs in feature folders (users, and the parts
    // of every subgraph outside api/): GraphQL files on top, services under them, models last.
    {
      name: 'services-below-graphql',
      comment: 'Services and models never import GraphQL types, inputs, rules, mappers or resolvers.',
      severity: 'error',
      from: {
        path: '^subgraphs/[^/]+/src/',
        pathNot: [API_FILE, '^subgraphs/[^/]+/src/(api/|schema\\.ts$|server\\.ts$)'],
      },
      to: { path: [`^subgraphs/[^/]+/src/.*${API_FILE}`, 'node_modules/(type-graphql|graphql-scalars)/'] },
    },
    {
      name: 'models-at-the-bottom',
      comment: 'A model knows other models and the domain, nothing above them.',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/.*\\.model\\.ts$' },
      to: { path: '^subgraphs/[^/]+/src/', pathNot: '(\\.model\\.ts|/domain/.*)$' },
    },
    // A subgraph's layers point one way: api/ → collab/ → domain/, collab/ → store/ → domain/
    // (README, "Layout"). Nothing but schema.ts imports api/.
    {
      name: 'domain-is-pure',
      comment: 'domain/ is plain TypeScript: no storage, no GraphQL, no other layer.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/src/domain/' },
      to: { path: ['^subgraphs/$1/src/(?!domain/)', 'node_modules/(mongoose|type-graphql|graphql|graphql-scalars)/'] },
    },
    {
      name: 'store-below-collab',
      comment: 'store/ keeps records; it knows the domain, not the live document or the API.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/src/store/' },
      to: { path: ['^subgraphs/$1/src/(?!(store|domain)/)', 'node_modules/(type-graphql|graphql|graphql-scalars)/'] },
    },
    {
      name: 'middle-below-api',
      comment:
        'The middle layer (flows: the live document; knowledge: indexing) uses domain/ and store/, never the API.',
      severity: 'error',
      from: { path: `^subgraphs/([^/]+)/src/${MIDDLE}/` },
      to: {
        path: [
          `^subgraphs/$1/src/(?!(${MIDDLE}|store|domain)/)`,
          'node_modules/(type-graphql|graphql|graphql-scalars)/',
        ],
      },
    },
    {
      name: 'only-the-schema-imports-api',
      comment: 'api/ is the top layer: resolvers are reached through schema.ts alone.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/src/', pathNot: '^subgraphs/[^/]+/src/(api/|schema\\.ts$)' },
      to: { path: '^subgraphs/$1/src/api/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.data|\\.tools|\\.bench-tools|clients/generated)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
