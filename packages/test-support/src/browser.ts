import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { authHeaders } from './auth';

/** test-artifacts/screenshots at the repository's root (not committed). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

/** Debian's Chromium, headless, with the flags this closed network needs (no background traffic).
 * Its requests carry the test admin's token (HTTP, the live stream and WebSocket upgrades alike), so
 * a portal test starts logged in; `anonymous` leaves that out (the login page's own tests). */
export async function launchBrowser(
  opts: { anonymous?: boolean } = {},
): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'kelpie-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KELPIE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    extraHTTPHeaders: opts.anonymous ? {} : authHeaders(),
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-artifacts/screenshots for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
