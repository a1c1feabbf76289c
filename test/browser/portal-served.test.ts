import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { launchBrowser, screenshot } from '../support/browser';
import { startTestEngine, TestEngine } from '../support/engine';

const WEB_DIST = join(__dirname, '..', '..', 'apps', 'web', 'dist');

describe('the portal served by the engine', () => {
  let engine: TestEngine;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`build the web app first: ${WEB_DIST} missing`);
    engine = await startTestEngine({ KELPIE_WEB_DIR: WEB_DIST });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('loads at the engine URL and shows the live health of Postgres and Redis', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${engine.baseUrl}/`);
    await page.getByRole('heading', { name: 'Engine healthy' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('PostgreSQL up').isVisible()).toBe(true);
    expect(await page.getByLabel('Redis up').isVisible()).toBe(true);
    await screenshot(page, 'portal-health');
  });

  it('serves client-side routes with the portal and keeps API 404s as JSON', async () => {
    const deep = await fetch(`${engine.baseUrl}/vms/some-route`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const api = await fetch(`${engine.baseUrl}/api/v1/no-such-thing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('not_found');
  });
});
