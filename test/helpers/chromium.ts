// Debian's headless Chromium through playwright-core, for the status page tests: a fresh profile per run,
// closed and removed after the test, and every console error and page error collected.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface BrowserPage {
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  consoleErrors: string[];
  /** The profile directory (removed after the test), a place for screenshots. */
  profile: string;
}

export async function openChromiumPage(t: {
  after(fn: () => Promise<void> | void): void;
}): Promise<BrowserPage> {
  assert.ok(fs.existsSync(CHROMIUM), 'Debian chromium is installed (bash scripts/system-deps.sh)');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-chromium-'));
  // Chromium's helper processes may still write to the profile a moment after it exits: retry the rm.
  const removeProfile = (): void =>
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  // A fresh profile directory per run (playwright passes it as --user-data-dir).
  const browser = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1366, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch((err: unknown) => {
      removeProfile();
      throw err;
    });
  // One hook, close then rm: after hooks run first-registered-first, so a separate rm hook registered
  // before the close ran while Chromium was still writing (ENOTEMPTY), and the failed hook left Chromium
  // running until the file's timeout.
  t.after(async () => {
    await browser.close();
    removeProfile();
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return { page, consoleErrors, profile };
}
