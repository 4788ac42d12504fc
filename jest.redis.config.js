/**
 * The real-component suite (`npm run test:redis`): the store tests, and the contract,
 * scenario, session and control-plane suites run again against Redis. globalSetup starts one
 * real redis-server for the run (or uses REDIS_URL); suites that stop or restart Redis start
 * their own.
 * @type {import('jest').Config}
 */
const core = require('./jest.config');

module.exports = {
  ...core,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: [
    '<rootDir>/test/store/**/*.test.ts',
    '<rootDir>/test/contract/**/*.test.ts',
    '<rootDir>/test/scenarios/**/*.test.ts',
    '<rootDir>/test/sessions/**/*.test.ts',
    '<rootDir>/test/control/**/*.test.ts',
    '<rootDir>/test/watch/watch-shared-store.test.ts',
  ],
  globalSetup: '<rootDir>/test/helpers/redis-global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/redis-global-teardown.ts',
};
