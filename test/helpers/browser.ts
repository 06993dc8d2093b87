/**
 * Headless Chromium for tests that look at what a user would see (playwright-core drives
 * Debian's chromium; no browser is downloaded). Missing: scripts/install-chromium.sh.
 *   const browser = await launchChromium();
 *   const page = await browser.newPage(); await page.goto(pathToFileURL(file).href); ...; await browser.close();
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.WEAVE_CHROMIUM ?? '/usr/bin/chromium';

/** Throws when there is no chromium to drive. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install-chromium.sh installs it (CI does this in .ci/run)`);
  // Nothing but the page: no network of its own, no profile sync, no updates.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
}
