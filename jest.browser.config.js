/**
 * The dashboard in a real browser (`npm run test:browser`): Debian's chromium, driven by
 * playwright-core, against mocks started in the test process. Not part of `npm test`: it needs
 * chromium installed (`.ci/run` installs it). globalSetup builds the page into dist/ui first.
 * @type {import('jest').Config}
 */
const core = require('./jest.config');

module.exports = {
  ...core,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  globalSetup: '<rootDir>/test/browser/build-dashboard.ts',
  maxWorkers: 1,
  testTimeout: 60000,
};
