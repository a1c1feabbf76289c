import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, screenshot } from '@kelpie/test-support';
import { startTestEngine, TestEngine } from '../support/engine';

const WEB_DIST = join(__dirname, '..', '..', 'apps', 'web', 'dist');
const COUNT = 50_000;

/** 50,000 VMs: the list reads only the windows on screen and renders only the rows in view. */
describe('the VM list with 50,000 VMs', () => {
  let engine: TestEngine;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`build the web app first: ${WEB_DIST} missing`);
    engine = await startTestEngine({ KELPIE_WEB_DIR: WEB_DIST });
    const dc = await engine.api('POST', '/api/v1/datacenters', { name: 'big' });
    const cluster = await engine.api('POST', '/api/v1/clusters', { name: 'bulk', datacenterId: dc.body.id });
    await engine.sql(
      `INSERT INTO vm (id, name, datacenter_id, cluster_id, vcpus, memory_mib, max_memory_mib, created_by, status)
       SELECT gen_random_uuid(), 'vm-' || lpad(g::text, 5, '0'), $1, $2, 1 + g % 8, 1024 * (1 + g % 4), 1024 * (1 + g % 4),
              'seed', CASE WHEN g % 10 = 0 THEN 'up' ELSE 'down' END
       FROM generate_series(1, ${COUNT}) g`,
      [dc.body.id, cluster.body.id],
    );
    await engine.sql('ANALYZE vm');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('shows the total, fetches small windows while scrolling and keeps the DOM small', async () => {
    const page = await browser.browser.newPage();
    const listRequests: URL[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (
        url.pathname === '/api/v1/vms' &&
        !url.searchParams.has('clusterId') &&
        !url.searchParams.has('status')
      )
        listRequests.push(url);
    });
    const rows = page.locator('[role=table][aria-label="Virtual machines"] [role=row][data-index]');
    const started = Date.now();
    await page.goto(`${engine.baseUrl}/vms`);
    const table = page.getByRole('table', { name: 'Virtual machines' });
    await table.getByRole('link', { name: 'vm-00001', exact: true }).waitFor();
    const firstPaintMs = Date.now() - started;
    await page.getByTestId('list-total').getByText('50,000 VMs').waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    expect(await rows.count()).toBeLessThan(60);
    await screenshot(page, 'large-1-top');

    // Scroll to the middle: the rows there load without fetching what lies between.
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await table
      .getByRole('link', { name: /^vm-250\d\d$/ })
      .first()
      .waitFor();
    expect(await rows.count()).toBeLessThan(60);
    await screenshot(page, 'large-2-middle');

    // Scroll step by step for a while (like a wheel), then jump to the end.
    for (let i = 0; i < 20; i++) {
      await table.evaluate((el) => el.scrollBy(0, 400));
      await page.waitForTimeout(30);
    }
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await table.getByRole('link', { name: 'vm-50000', exact: true }).waitFor();
    expect(await rows.count()).toBeLessThan(60);
    await screenshot(page, 'large-3-bottom');

    // Sort by name descending: served by the API, first row is the last name.
    await table.getByRole('button', { name: /^Name/ }).click();
    await table.getByRole('link', { name: 'vm-50000', exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name:desc');
    expect(await table.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );

    // Filter by status (server side): 5,000 VMs are up.
    await page.getByLabel('Status').selectOption('up');
    await page.getByTestId('list-total').getByText('5,000 VMs').waitFor();
    await screenshot(page, 'large-4-filtered');

    const limits = listRequests.map((u) => Number(u.searchParams.get('limit')));
    const fetched = limits.reduce((a, b) => a + b, 0);
    expect(Math.max(...limits)).toBeLessThanOrEqual(100);
    expect(listRequests.length).toBeLessThan(30);
    expect(fetched).toBeLessThan(3000);
    console.log(
      `50k list: first rows in ${firstPaintMs} ms; ${listRequests.length} list requests, ${fetched} items fetched, ` +
        `offsets ${listRequests.map((u) => u.searchParams.get('offset')).join(',')}`,
    );
  });
});
