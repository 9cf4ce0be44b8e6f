/**
 * Unit and library suites: *.spec.ts under apps/ and libs/, except the embedded store's, which has
 * its own config (libs/embedded-mongo/jest.config.js, `npm run test:store`), and the e2e test
 * kit's own unit specs in test/support/ (the e2e config runs only *.e2e-spec.ts).
 */
const { swcTransform, moduleNameMapper, noHangs } = require('./test/jest-shared');

module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/support'],
  testRegex: '\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/libs/embedded-mongo/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: swcTransform,
  moduleNameMapper,
  ...noHangs,
};
