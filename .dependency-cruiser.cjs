/* global module */
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.data|\\.tools|\\.bench-tools|clients/generated)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
