/** Unit and library suites: *.spec.ts under apps/ and libs/. */
const { swcTransform, moduleNameMapper, noHangs } = require('./test/jest-shared');

module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testRegex: '\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: swcTransform,
  moduleNameMapper,
  ...noHangs,
};
