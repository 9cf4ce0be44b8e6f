/**
 * End-to-end suites: every *.e2e-spec.ts under test/, against the real AppModule. The global
 * setup extracts the bundled Chromium and, unless REDIS_URL is set, starts the run's own
 * redis-server on a free port (REDIS_URL for the workers); the global teardown stops it.
 */
const path = require('path');
const { swcTransform, moduleNameMapper, noHangs } = require('./jest-shared');

module.exports = {
  rootDir: path.join(__dirname, '..'),
  roots: ['<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: swcTransform,
  moduleNameMapper,
  ...noHangs,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30_000,
  passWithNoTests: true,
};
