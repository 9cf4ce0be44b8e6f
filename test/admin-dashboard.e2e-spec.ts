import type { Browser, Page } from 'playwright-core';
import { roomKeysOf } from '@app/users';
import { createTestApp, signUp, signUpAdmin, type TestApp, type TestSession } from './support';
import { launchBrowser } from './support/browser';
import { closeAll } from './support/teardown';

const VENDOR_SCRIPT = '/admin/vendor/uplot.iife.min.js';

/**
 * The few browser globals the page scripts below use (the project compiles without the DOM lib):
 * these functions run in the page, where the real objects exist.
 */
interface PageCanvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}
interface PageGlobals {
  document: {
    querySelectorAll(selector: string): Iterable<PageCanvas>;
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  localStorage: { length: number };
  sessionStorage: { length: number };
  reportCspViolation(text: string): void;
}

/** The CSP header's directives by name, each with its sources. */
function cspDirectives(header: unknown): Map<string, string[]> {
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('admin dashboard at /admin: served files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('serves the page, its assets and the chart library under a CSP without unsafe-inline, outside /api/v1', async () => {
    const paths = [
      '/admin',
      '/admin/',
      '/admin/dashboard.js',
      '/admin/dashboard.css',
      VENDOR_SCRIPT,
    ];
    for (const path of paths) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      const csp = cspDirectives(res.headers['content-security-policy']);
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['content-security-policy']).not.toContain('unsafe-eval');
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff' });
    }

    const page = await t.http.get('/admin');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain(`<script src="${VENDOR_SCRIPT}" defer></script>`);
    expect(page.text).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);

    const script = await t.http.get('/admin/dashboard.js');
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('no-cache');
    expect(script.text).not.toMatch(/innerHTML|localStorage|sessionStorage|document\.cookie/);

    const vendor = await t.http.get(VENDOR_SCRIPT);
    expect(vendor.headers['content-type']).toMatch(/javascript/);
    expect(vendor.headers['cache-control']).toBe('public, max-age=3600');
    expect(vendor.text).toContain('uPlot');
    expect((await t.http.get('/admin/vendor/uplot.min.css')).status).toBe(200);

    expect((await t.http.get('/admin/nope.js')).status).toBe(404);
    expect((await t.http.get('/admin/vendor/../dashboard.ts')).status).toBe(404);
  });
});

describe('admin dashboard at /admin in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: TestSession;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMITS: 'off' } });
    browser = await launchBrowser();
    admin = await signUpAdmin(t, { displayName: 'Ada Admin' });
  }, 60000);

  afterAll(async () => {
    await closeAll(browser, t);
  });

  /**
   * A page whose console errors, uncaught errors and CSP violations are collected. Pages stay open
   * until the browser closes: the bundled Chromium runs as a single process, and closing a page
   * there can end the whole browser.
   */
  async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
    // A fixed locale: the default one comes from the environment (en-US@posix in some containers).
    const page = await browser.newPage({ locale: 'en-GB' });
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.exposeFunction('reportCspViolation', (text: string) => {
      problems.push(`csp: ${text}`);
    });
    await page.addInitScript(() => {
      const page = globalThis as unknown as PageGlobals;
      page.document.addEventListener('securitypolicyviolation', (event) => {
        page.reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    return { page, problems };
  }

  async function signIn(page: Page, who: TestSession): Promise<void> {
    await page.goto(`${t.baseUrl}/admin`);
    await page.getByLabel('Email', { exact: true }).fill(who.email);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** How many pixels of each chart's canvas are near the series colour (#2563eb). */
  function seriesPixels(page: Page): Promise<number[]> {
    return page.evaluate(() =>
      [
        ...(globalThis as unknown as PageGlobals).document.querySelectorAll('.chart-area canvas'),
      ].map((canvas) => {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0 || canvas.height === 0) return 0;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
          const near =
            Math.abs(data[i] - 0x25) < 40 &&
            Math.abs(data[i + 1] - 0x63) < 40 &&
            Math.abs(data[i + 2] - 0xeb) < 40 &&
            data[i + 3] > 200;
          if (near) count += 1;
        }
        return count;
      }),
    );
  }

  it('tells a member who is not an admin that the dashboard needs the admin role', async () => {
    const member = await signUp(t);
    const { page, problems } = await watchedPage();
    await signIn(page, member);
    await page.getByText('This account is not an admin').waitFor();
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  }, 60000);

  it('signs in, draws the statistics, bans a searched user (whose token then fails), resolves a report and creates a coupon', async () => {
    const target = await signUp(t, { displayName: 'Mallory <img src=x>', birthDate: '1991-02-03' });
    const reporter = await signUp(t, { displayName: 'Rita Reporter', birthDate: '1991-02-03' });
    const room = roomKeysOf(target.birthDate)[0];
    const posted = await target.agent
      .post(`/api/v1/rooms/${room}/messages`)
      .send({ text: '<b>bold</b> spam' });
    expect(posted.status).toBe(201);
    const reported = await reporter.agent
      .post(`/api/v1/messages/${(posted.body as { id: string }).id}/report`)
      .send({ reason: 'Spam <script>alert(1)</script>' });
    expect(reported.status).toBe(201);
    const reportId = (reported.body as { id: string }).id;

    const { page, problems } = await watchedPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, admin);
    await page.getByText('Ada Admin').waitFor();

    // Statistics: the totals and four charts, each with its series drawn.
    await page.locator('#stats-totals dd').first().waitFor();
    const totals = await page.locator('#stats-totals div').allInnerTexts();
    expect(totals).toHaveLength(12);
    expect(totals.join('\n')).toContain('Sponsor impressions');
    await page.locator('.chart-area canvas').nth(3).waitFor();
    const pixels = await seriesPixels(page);
    expect(pixels).toHaveLength(4);
    for (const count of pixels) expect(count).toBeGreaterThan(20);

    // Users: search, ban through the UI; the user's own token stops working at once.
    const adminRow = page.locator(`#users-table tr[data-user-id="${admin.id}"]`);
    await adminRow.waitFor();
    await page.getByLabel('Email or display name starts with').fill('mallory');
    await page.getByRole('button', { name: 'Search' }).click();
    await adminRow.waitFor({ state: 'detached' });
    const row = page.locator(`#users-table tr[data-user-id="${target.id}"]`);
    expect(await page.locator('#users-table tbody tr').count()).toBe(1);
    expect(await row.locator('td').first().innerText()).toBe('Mallory <img src=x>');
    await row.getByRole('button', { name: 'Ban Mallory <img src=x>' }).click();
    await page
      .locator(`#users-table tr[data-user-id="${target.id}"]`)
      .getByText('banned', { exact: true })
      .waitFor();
    const after = await t.http.get('/api/v1/auth/me').set(target.auth);
    expect(after.status).toBe(403);
    expect(after.body).toMatchObject({ error: 'ACCOUNT_BANNED' });

    // Reports: the evidence shown as text, then resolved by deleting the message.
    const card = page.locator(`#reports-list li[data-report-id="${reportId}"]`);
    await card.waitFor();
    expect(await card.locator('h3').innerText()).toBe('Reported: Spam <script>alert(1)</script>');
    expect(await card.locator('blockquote').innerText()).toBe('<b>bold</b> spam');
    await card.getByLabel('Note (optional)').fill('Spam link');
    await card.getByRole('button', { name: 'Delete message' }).click();
    await page.getByText('Report resolved: message-deleted.').waitFor();
    expect(await card.count()).toBe(0);
    const stored = await t.http.get('/api/v1/admin/reports?status=resolved').set(admin.auth);
    expect((stored.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        id: reportId,
        status: 'resolved',
        resolution: expect.objectContaining({
          action: 'delete-message',
          outcome: 'message-deleted',
          note: 'Spam link',
        }) as unknown,
      }),
    ]);

    // Coupons: created through the form, listed at once.
    await page.getByLabel('Code (optional)').fill('DASH-2026');
    await page.getByLabel('Tokens per redemption').fill('25');
    await page.getByLabel('Redemptions allowed').fill('3');
    await page.getByRole('button', { name: 'Create coupon' }).click();
    await page.getByText('Coupon DASH2026 created.').waitFor();
    expect(await page.locator('#coupons-table tbody tr').first().innerText()).toContain('DASH2026');
    const coupons = await t.http.get('/api/v1/admin/coupons').set(admin.auth);
    expect((coupons.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ code: 'DASH2026', amount: 25, maxRedemptions: 3, active: true }),
    ]);

    const storage = () => {
      const page = globalThis as unknown as PageGlobals;
      return [page.localStorage.length, page.sessionStorage.length];
    };
    expect(await page.evaluate(storage)).toEqual([0, 0]);
    expect(problems).toEqual([]);
  }, 60000);

  it('renews an expired access token through the refresh cookie without asking to sign in', async () => {
    await signUp(t, { displayName: 'Rita Renewal' });
    const { page, problems } = await watchedPage();
    await signIn(page, admin);
    await page.locator('#stats-totals dd').first().waitFor();
    // 16 minutes later the 15-minute access token is refused; the session is still open.
    t.clock.set(new Date(Date.now() + 16 * 60_000));
    try {
      await page.getByLabel('Email or display name starts with').fill('rita');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.locator('#users-table td').getByText('Rita Renewal').waitFor();
      expect(await page.locator('#sign-in-panel').isHidden()).toBe(true);
    } finally {
      t.clock.reset();
    }
    // The refused requests are logged by the browser itself (the search's, and any of the first
    // loads still in flight when the clock moved); nothing else went wrong.
    expect(problems.length).toBeGreaterThanOrEqual(1);
    for (const problem of problems) {
      expect(problem).toBe(
        'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
      );
    }
  }, 60000);
});
