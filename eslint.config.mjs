// Lint: typescript-eslint's recommended rules with type information (floating promises are errors), and the
// layers kept apart: no Node built-ins in workflows/ (the deterministic sandbox) or domain/ (pure rules).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
