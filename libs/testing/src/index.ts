export { createTestApp, type TestApp, type TestAppOptions } from './create-test-app';
export { uniqueTestDatabaseName, withDatabaseName } from './database-name';
export { LogCapture, type LogLine } from './log-capture';
export { ProbesModule } from './probes/probes.module';
export { INTERNAL_FAILURE_DETAIL } from './probes/probes.service';
export { TestClock } from './test-clock';
export {
  inviteCode,
  refreshCookieFrom,
  refreshSession,
  type SignupInput,
  signUp,
  signUpAdmin,
  type TestSession,
} from './session';
export { expectError } from './expect-error';
