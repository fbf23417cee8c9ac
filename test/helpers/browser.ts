/**
 * Headless Chromium for the browser tests (issue 17): Debian's `chromium`, installed by devtools/tools.ts (no
 * browser download), driven by puppeteer-core. Screenshots go to .data/screenshots, or to docs/images when
 * SCREENSHOTS=docs/images (`npm run screenshots`), so a test run leaves the docs' pictures alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ensureChromium } from '../../devtools/tools';

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: ensureChromium(),
    headless: true,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-')),
    // As root, without a GPU, and without the background connections this machine's closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page of its own cookie jar (a browser context), the size of a laptop screen. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  page.setDefaultTimeout(30_000);
  return page;
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const dir = path.resolve(__dirname, '..', '..', process.env.SCREENSHOTS ?? '.data/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
}

// The page's visible text (run in the browser, where `document` is).
export const textOf = (page: Page): Promise<string> => page.evaluate('document.body.innerText') as Promise<string>;
