import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from './support';
import { launchBrowser } from './support/browser';
import { closeAll } from './support/teardown';

describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp();
    browser = await launchBrowser();
  }, 60000);

  afterAll(async () => {
    await closeAll(browser, t);
  });

  it('renders the API at /docs and "Try it out" on GET /health/live shows 200', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${t.baseUrl}/docs`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'DobKonektor API' }).waitFor();
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(paths.map((path) => path.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/metrics']),
    );

    const operation = page.locator('#operations-operations-HealthController_live');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.first().waitFor();
    expect((await status.first().innerText()).trim()).toBe('200');
    const body = await operation.locator('.live-responses-table .microlight').first().innerText();
    expect(JSON.parse(body)).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(problems).toEqual([]);
  }, 60000);
});
