import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { eventually, TestPlatform } from '../support/platform';

/** A page in the test browser that fails the test on any native prompt/confirm/alert: every question
 * the portal asks is an in-page dialog. */
export async function newPortalPage(browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<Page> {
  const page = await browser.browser.newPage();
  page.on('dialog', (d) => {
    throw new Error(`unexpected native dialog: ${d.message()}`);
  });
  return page;
}

/** Waits until the engine sees every lab host Up (agents connected). */
export async function waitHostsUp(p: TestPlatform): Promise<void> {
  for (const h of Object.values(p.hosts))
    await eventually(
      `${h.name} up`,
      async () =>
        ((await p.engine.api('GET', `/api/v1/hosts/${h.id}`)).body as { status: string }).status === 'up',
      60_000,
      500,
    );
}
