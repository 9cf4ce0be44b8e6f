import { Logger } from '@nestjs/common';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, DomainError, loadConfig, ManualClock } from '@app/common';
import { escapeHtml } from './html';
import { Mailer } from './mailer';

const MAIL = {
  to: 'ada@example.com',
  subject: 'Hello Ada',
  text: 'Plain words: https://app.example/reset?token=abc_DEF-123',
  html: '<p>Plain words: <a href="https://app.example/reset?token=abc_DEF-123">link</a></p>',
};

function mailer(env: Record<string, string>): Mailer {
  return new Mailer(new AppConfig(loadConfig(env)), new ManualClock(Date.UTC(2026, 10, 21, 10)));
}

describe('Mailer', () => {
  let dir: string;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailer-spec-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without SMTP_URL outside production writes each mail as a complete RFC 822 .eml file in MAIL_DIR', async () => {
    const files = join(dir, 'nested', 'mail');
    const sender = mailer({
      NODE_ENV: 'development',
      MAIL_DIR: files,
      MAIL_FROM: 'Team <team@example.com>',
    });
    expect(sender.delivery).toBe('file');
    expect(sender.available).toBe(true);
    const first = await sender.send(MAIL);
    const second = await sender.send({ ...MAIL, subject: 'Again' });
    expect(await readdir(files)).toEqual(
      [first.file, second.file].map((file) => file?.slice(files.length + 1)).sort(),
    );
    expect(first.file).toMatch(/2026-11-21T10-00-00-000Z-[0-9a-f]{12}\.eml$/);
    const eml = await readFile(first.file ?? '', 'utf8');
    expect(eml).toMatch(/^From: Team <team@example\.com>\r$/m);
    expect(eml).toMatch(/^To: ada@example\.com\r$/m);
    expect(eml).toMatch(/^Subject: Hello Ada\r$/m);
    expect(eml).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(eml).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
    expect(eml).toMatch(/^Content-Type: text\/html; charset=utf-8\r$/m);
    expect(eml).toContain('https://app.example/reset?token=abc_DEF-123');
    sender.onApplicationShutdown();
  });

  it('with SMTP_URL sends through SMTP, and with neither in production refuses with SERVICE_UNAVAILABLE', async () => {
    const smtp = mailer({ SMTP_URL: 'smtp://user:pass@127.0.0.1:2525', MAIL_DIR: dir });
    expect(smtp.delivery).toBe('smtp');
    smtp.onApplicationShutdown();
    const none = mailer({
      NODE_ENV: 'production',
      MONGO_URL: 'mongodb://db:27017/app',
      JWT_SECRET: 'x'.repeat(32),
      METRICS_TOKEN: 'm'.repeat(32),
      MAIL_DIR: dir,
    });
    expect(none.delivery).toBe('none');
    expect(none.available).toBe(false);
    await expect(none.send(MAIL)).rejects.toEqual(
      new DomainError('SERVICE_UNAVAILABLE', 'Mail cannot be sent: no SMTP server is configured'),
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or leave an attribute', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & co`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co',
    );
    expect(escapeHtml('Zoë 🎂')).toBe('Zoë 🎂');
  });
});
