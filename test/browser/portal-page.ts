import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '@kelpie/test-support';
import { startTestEngine, TestEngine } from '../support/engine';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';

export const WEB_DIST = join(__dirname, '..', '..', 'apps', 'web', 'dist');

/** A real lab with the engine serving the built portal and an agent per host, every host Up. */
export async function startPortalPlatform(
  labName: string,
  subnet: number,
  agentEnv?: Record<string, string>,
  hosts = 2,
  engineEnv: Record<string, string> = {},
): Promise<TestPlatform> {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`build the web app first: ${WEB_DIST} missing`);
  const p = await startTestPlatform({
    labName,
    subnet,
    hosts,
    engineEnv: { ...engineEnv, KELPIE_WEB_DIR: WEB_DIST },
    agentEnv,
  });
  await waitHostsUp(p);
  return p;
}

/** A page in the test browser that fails the test on any native prompt/confirm/alert: every question
 * the portal asks is an in-page dialog. */
export async function newPortalPage(browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<Page> {
  const page = await browser.browser.newPage();
  page.on('dialog', (d) => {
    throw new Error(`unexpected native dialog: ${d.message()}`);
  });
  // A script error in the portal shows in the test's output, beside the assertion it breaks.
  page.on('pageerror', (e) => console.error(`page error: ${e.stack ?? e.message}`));
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

export interface PortalWithoutLab {
  engine: TestEngine;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
}

/** For a describe block: an engine serving the built portal (no lab, no hosts) and a Chromium,
 * anonymous unless asked (then its requests carry the test admin's token); both closed after it. */
export function portalWithoutLab(opts: { anonymous?: boolean } = {}): PortalWithoutLab {
  const ctx = {} as PortalWithoutLab;
  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`build the web app first: ${WEB_DIST} missing`);
    ctx.engine = await startTestEngine({ KELPIE_WEB_DIR: WEB_DIST });
    ctx.browser = await launchBrowser({ anonymous: opts.anonymous ?? true });
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.engine?.close();
  });
  return ctx;
}
