/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Real-Redis suites run after the core suite, with `npm run test:redis` (jest.redis.config.js),
  // and the browser suite with `npm run test:browser` (jest.browser.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/store/', '<rootDir>/test/browser/'],
  setupFiles: ['<rootDir>/test/setup-environment.js'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // Each worker builds its own apps; at least two workers, so a 2-core machine (CI's) uses both.
  maxWorkers: Math.max(2, Math.floor(require('node:os').availableParallelism() / 2)),
  testTimeout: 20000,
};
