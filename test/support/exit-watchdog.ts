/**
 * The run-level backstop of the no-hang rule. Jest itself only warns ("Jest did not exit one second
 * after the test run has completed") and then waits forever when something a test opened keeps
 * the process alive, which is what happens in band (one worker or one test file). Armed in the
 * global teardown, after every file ran: an unref'd timer, so it never delays a clean exit, which
 * fails the run with exit code 1 if Jest is still alive EXIT_DEADLINE_MS later. Workers that do not
 * exit are force-killed by Jest; the leak check of jest-environment.ts fails their file.
 */
export const EXIT_DEADLINE_MS = 5_000;

export function armExitWatchdog(globalConfig: { watch?: boolean; watchAll?: boolean }): void {
  if (globalConfig.watch === true || globalConfig.watchAll === true) return;
  setTimeout(() => {
    process.stderr.write(
      `\nJest was still running ${EXIT_DEADLINE_MS / 1000} s after the test run completed: ` +
        'something a test opened (a server, connection, child process, browser or timer) keeps ' +
        'the process alive. Failing the run instead of hanging; `npx jest --detectOpenHandles` ' +
        'with the suspect files shows what was left open.\n',
    );
    process.exit(1);
  }, EXIT_DEADLINE_MS).unref();
}
