// Lint: typescript-eslint's recommended rules with type information (floating promises are errors), and the
// layers kept apart: no Node built-ins in workflows/ (the deterministic sandbox) or domain/ (pure rules); the
// README's arrows (worker → activities → infra → domain, client → infra → domain, workflows → domain) for every
// folder, and no import circles (eslint-plugin-import-x).
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The case tables' Prisma delegates (prisma/schema.prisma): infra/case-store/ alone uses them. */
const CASE_TABLES = ['application', 'complaint', 'notice', 'signingCertificate', 'stageLog'];

/** Where each folder may not import from: the arrows point down only (README, Layout). */
const LAYERS = {
  domain: ['workflows', 'activities', 'infra', 'client', 'worker', 'devtools', 'test', 'prisma'],
  workflows: ['infra', 'client', 'worker', 'devtools', 'test'], // activities: as types only (below)
  activities: ['workflows', 'client', 'worker', 'devtools', 'test'],
  infra: ['workflows', 'activities', 'client', 'worker', 'devtools', 'test'],
  // the workflows' message definitions (workflows/messages.ts) are the contract the API sends through
  client: ['activities', 'worker', 'devtools', 'test', 'workflows'],
  worker: ['client', 'devtools', 'test'],
  devtools: ['test'],
};
const layerZones = Object.entries(LAYERS).flatMap(([target, banned]) =>
  banned.map((from) => ({
    target: `./${target}`,
    from: `./${from}`,
    ...(target === 'client' && from === 'workflows' && { except: ['./messages.ts'] }),
    message: `${target}/ does not import ${from}/: the arrows are worker → activities → infra → domain, client → infra → domain, workflows → domain`,
  })),
);

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];
const noNode = {
  patterns: [
    { group: ['node:*', ...NODE_BUILTINS], message: 'pure code: no Node built-ins here (workflows run in a deterministic sandbox; domain/ is pure)' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'prisma/generated/**',
      '.data/**',
      'coverage/**',
      'devtools/test-summary.cjs',
      'jest.config.js',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.cjs'] } }, 'import-x/extensions': ['.ts', '.js'] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // One case-store module (issue 29): nothing else reads or writes the case tables, by Prisma or by SQL.
    files: ['**/*.ts'],
    ignores: ['infra/case-store/**', 'test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression > MemberExpression.callee > MemberExpression.object[property.name=/^(${CASE_TABLES.join('|')})$/]`,
          message: 'the case tables are read and written through infra/case-store/ only (named reads and the projection’s writes)',
        },
        {
          selector: 'TemplateElement[value.raw=/"(Application|Complaint|Notice|SigningCertificate|StageLog)"/]',
          message: 'the case tables are read and written through infra/case-store/ only, SQL included',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', noNode],
      // workflows import activities as types only (their code runs in the worker, never in the sandbox)
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode.patterns,
            { group: ['../activities/*', '!../activities/index'], allowTypeImports: true, message: 'workflows call activities through proxies.ts' },
            { group: ['../infra/*', '../client/*', '../worker/*'], message: 'workflows import domain/ only' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
