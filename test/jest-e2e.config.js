/** End-to-end suites: every *.e2e-spec.ts under test/, against the real AppModule. */
const path = require('path');
const { swcTransform, moduleNameMapper } = require('./jest-shared');

module.exports = {
  rootDir: path.join(__dirname, '..'),
  roots: ['<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: swcTransform,
  moduleNameMapper,
  testEnvironment: 'node',
  testTimeout: 30_000,
  passWithNoTests: true,
};
