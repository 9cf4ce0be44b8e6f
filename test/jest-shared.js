/**
 * Pieces both Jest configs share: SWC transform with decorator metadata, the @app/<lib> aliases,
 * and the no-hang rule (test/support/jest-environment.ts fails a test file that leaves a server,
 * connection, child process or timer open; the global teardown fails the run if Jest has not
 * exited a few seconds after it completed).
 */
const swcTransform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};

const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

const noHangs = {
  testEnvironment: '<rootDir>/test/support/jest-environment.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = { swcTransform, moduleNameMapper, noHangs };
