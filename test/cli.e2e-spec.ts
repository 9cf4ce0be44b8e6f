import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from './support';
import { minimalEnv, type RunningProcess, spawnTypeScript } from './support/child-process';

const CLI_MAIN = 'apps/cli/src/main.ts';

describe('npm run cli -- admin:create', () => {
  let workDir: string;
  const started: RunningProcess[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'dobkonektor-cli-'));
  });

  afterAll(async () => {
    for (const { child } of started) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  function adminCreate(dataFile: string, args: string[], extra: Record<string, string> = {}) {
    const env = minimalEnv({ EMBEDDED_MONGO_DATA: dataFile, BCRYPT_COST: '4', ...extra });
    const cli = spawnTypeScript(CLI_MAIN, ['admin:create', ...args], { cwd: workDir, env });
    started.push(cli);
    return cli;
  }

  it('creates an admin that signs in with the ADMIN_PASSWORD, holding the signup tokens', async () => {
    const dataFile = join(workDir, 'admin.bson');
    const cli = adminCreate(
      dataFile,
      ['--email', ' Root@Example.com ', '--display-name', 'Root', '--birth-date', '1985-01-02'],
      { ADMIN_PASSWORD: 'a long admin password' },
    );
    expect(await cli.exited()).toBe(0);
    expect(cli.stdout()).toMatch(
      /^Admin account created: root@example\.com \(id [0-9a-f]{24}\)\n$/,
    );
    expect(cli.stdout() + cli.stderr()).not.toContain('a long admin password');

    const t = await createTestApp({ env: { EMBEDDED_MONGO_DATA: dataFile, MONGO_URL: undefined } });
    try {
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'root@example.com', password: 'a long admin password' });
      expect(login.status).toBe(200);
      const body = login.body as { user: { role: string; tokens: number; displayName: string } };
      expect(body.user).toMatchObject({ role: 'admin', tokens: 100, displayName: 'Root' });
      const logs = t.logs.lines().map((line) => line.msg);
      expect(logs.some((msg) => msg?.includes('Bootstrap admin invite'))).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('refuses bad options naming each one, without printing the password, and creates nothing', async () => {
    const dataFile = join(workDir, 'refused.bson');
    const cli = adminCreate(dataFile, [
      '--email',
      'not-an-email',
      '--display-name',
      'R',
      '--birth-date',
      '1985-02-30',
      '--password',
      'short',
    ]);
    expect(await cli.exited()).toBe(1);
    expect(cli.stderr()).toContain('Cannot create the admin account:');
    for (const flag of ['--email', '--password', '--display-name', '--birth-date']) {
      expect(cli.stderr()).toContain(`${flag}:`);
    }
    expect(cli.stderr()).not.toContain('short');
    const again = adminCreate(dataFile, [
      '--email',
      'root@example.com',
      '--display-name',
      'Root',
      '--birth-date',
      '1985-01-02',
    ]);
    expect(await again.exited()).toBe(1);
    expect(again.stderr()).toContain('--password');
  });
});
