import { spawnSync } from 'child_process';
import * as path from 'path';

const CLI = path.join(__dirname, '..', 'src', 'cli.ts');
const REGISTER = path.join(__dirname, 'crash', 'register-ts.js');

/** Runs `npm run db -- …args` as a child process that must refuse its options and exit. */
function refused(...args: string[]): { status: number | null; stderr: string } {
  const { status, stderr } = spawnSync(process.execPath, ['-r', REGISTER, CLI, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status, stderr };
}

describe('npm run db (cli.ts) options', () => {
  it.each([
    ['--snapshot-seconds', '0'],
    ['--ttl-monitor-seconds', '0'],
  ])('refuses %s %s: an interval of 0 seconds means nothing', (flag, value) => {
    const { status, stderr } = refused(flag, value);
    expect(status).toBe(1);
    expect(stderr).toContain(`${flag} needs a positive integer (at least 1), not '0'`);
  });

  it('refuses a negative port, a fraction and an empty value', () => {
    expect(refused('--port', '-1').stderr).toContain(
      "--port needs a non-negative integer, not '-1'",
    );
    expect(refused('--snapshot-seconds', '1.5').stderr).toContain("not '1.5'");
    expect(refused('--port', '').stderr).toContain("--port needs a non-negative integer, not ''");
  });
});
