/**
 * The e2e test kit: the real AppModule on a free port (`createTestApp`), signed-up users with
 * clients of their own (`signUp`, `signUpAdmin`), a movable clock, the log lines in memory, the
 * error-body assertion and the test-only probe routes. Test code only: it imports apps/api, and
 * the build (tsconfig.build.json) never compiles test/.
 */
export { AVATAR_URL } from './avatar-url';
export { createTestApp, type TestApp, type TestAppOptions, type TestHttp } from './app';
export { TestClock } from './clock';
export { uniqueTestDatabaseName, withDatabaseName } from './database-name';
export { expectError } from './expect-error';
export { LogCapture, type LogLine } from './log-capture';
export { ProbesModule } from './probes/probes.module';
export { INTERNAL_FAILURE_DETAIL } from './probes/probes.service';
export {
  inviteCode,
  refreshCookieFrom,
  refreshSession,
  type SessionAgent,
  type SignupInput,
  signUp,
  signUpAdmin,
  type TestSession,
} from './session';
