import { launchBrowser } from '@kelpie/test-support';
import type { Locator, Page } from 'playwright-core';
import { newPortalPage, startPortalPlatform } from '../portal-page';
import { apiOk } from '../../support/engine';
import type { TestPlatform } from '../../support/platform';

export interface PortalLab {
  /** Set once the file's first beforeAll has run. */
  readonly p: TestPlatform;
  readonly browser: Awaited<ReturnType<typeof launchBrowser>>;
  /** The one page the file's tests drive, at 1280×800. */
  readonly page: Page;
  /** The first lab host's libvirt URI. */
  uri(): string;
  /** An API call as the test admin that must succeed; its body. */
  ok<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Opens a portal path in the page. */
  go(path: string): ReturnType<Page['goto']>;
  dialog(name: string | RegExp): Locator;
}

/**
 * For a browser test file: a real lab whose engine serves the built portal (every host Up), a Chromium
 * and a page at 1280×800 that fails the test on a native dialog; all closed after the file.
 * `beforeClose` runs while the lab still is up (e.g. to destroy the file's guests).
 */
export function portalLab(opts: {
  labName: string;
  subnet: number;
  hosts?: number;
  agentEnv?: Record<string, string>;
  engineEnv?: Record<string, string>;
  beforeClose?: () => Promise<unknown>;
}): PortalLab {
  const ctx = {} as { p: TestPlatform; browser: PortalLab['browser']; page: Page };
  beforeAll(async () => {
    ctx.p = await startPortalPlatform(
      opts.labName,
      opts.subnet,
      opts.agentEnv,
      opts.hosts ?? 1,
      opts.engineEnv,
    );
    ctx.browser = await launchBrowser();
    ctx.page = await newPortalPage(ctx.browser);
    await ctx.page.setViewportSize({ width: 1280, height: 800 });
  }, 300_000);
  afterAll(async () => {
    await ctx.browser?.close().catch(() => undefined);
    if (ctx.p) await opts.beforeClose?.().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
    await ctx.p?.close();
  }, 120_000);
  return {
    get p() {
      return ctx.p;
    },
    get browser() {
      return ctx.browser;
    },
    get page() {
      return ctx.page;
    },
    uri: () => ctx.p.labStatus.hosts[0]!.uri,
    ok: <T>(method: string, path: string, body?: unknown) => apiOk<T>(ctx.p.engine, method, path, body),
    go: (path: string) => ctx.page.goto(`${ctx.p.engine.baseUrl}${path}`),
    dialog: (name: string | RegExp) => ctx.page.getByRole('dialog', { name }),
  };
}
