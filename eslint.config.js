// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DOMAINS = ['users', 'flows', 'knowledge', 'cognition', 'billing'];

/** A subgraph may import `internal/` and itself, never another subgraph or the router. */
const subgraphBoundaries = DOMAINS.map((domain) => ({
  files: [`subgraphs/${domain}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              ...DOMAINS.filter((other) => other !== domain).flatMap((other) => [
                `**/${other}/src`,
                `**/${other}/src/**`,
              ]),
              '**/router/**',
              '**/stack/**',
            ],
            message: 'Subgraphs share only internal/; cross-domain data travels through federation or events.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'clients/generated/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['router/**/*.ts', 'internal/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/subgraphs/**'], message: 'The router and internal/ never import a subgraph.' }] },
      ],
    },
  },
  ...subgraphBoundaries,
);
