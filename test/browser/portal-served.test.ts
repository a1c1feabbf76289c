import { screenshot } from '@kelpie/test-support';
import { portalWithoutLab } from './portal-page';

describe('the portal served by the engine', () => {
  const portal = portalWithoutLab({ anonymous: false });

  it('loads at the engine URL and shows the live health of Postgres and Redis', async () => {
    const page = await portal.browser.browser.newPage();
    await page.goto(`${portal.engine.baseUrl}/`);
    await page.getByRole('heading', { name: 'Engine healthy' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('PostgreSQL up').isVisible()).toBe(true);
    expect(await page.getByLabel('Redis up').isVisible()).toBe(true);
    await screenshot(page, 'portal-health');
  });

  it('serves client-side routes with the portal and keeps API 404s as JSON', async () => {
    const deep = await fetch(`${portal.engine.baseUrl}/vms/some-route`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const api = await fetch(`${portal.engine.baseUrl}/api/v1/no-such-thing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('not_found');
  });
});
