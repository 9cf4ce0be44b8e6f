/**
 * The embedded store's own suite (`npm run test:store`): every *.spec.ts under
 * libs/embedded-mongo, with the shared transform and the no-hang rule of the other configs.
 */
const path = require('path');
const { swcTransform, moduleNameMapper, noHangs } = require('../../test/jest-shared');

module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/libs/embedded-mongo'],
  testRegex: '\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: swcTransform,
  moduleNameMapper,
  ...noHangs,
};
