/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // *.cluster.test.ts need the Temporal server's build: only `npm run test:cluster` (TEMPORAL_TOPOLOGY=cluster) runs them.
  testPathIgnorePatterns: process.env.TEMPORAL_TOPOLOGY === 'cluster' ? ['/node_modules/'] : ['/node_modules/', '\\.cluster\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // fastify's inject (light-my-request) needs cookie 2, which ships as ES modules only.
    '^.+/node_modules/cookie/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  // The generated Prisma client imports its TypeScript siblings as `./x.js`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 120000,
  // Each test's count of assertions, for the closing summary (test/helpers/count-assertions.ts).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/count-assertions.ts'],
};
