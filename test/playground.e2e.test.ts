// The playground in a real browser with every request off this machine refused: it must
// load, introspect the supergraph and run an operation from its own assets.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const url = inject('routerUrl');

describe.skipIf(!existsSync(CHROMIUM))('the playground in a browser (Chromium)', () => {
  it('loads with no network and runs a query against the router', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const offMachine: string[] = [];
      await page.route('**/*', (route) => {
        const host = new URL(route.request().url()).hostname;
        if (host === '127.0.0.1' || host === 'localhost') return route.continue();
        offMachine.push(route.request().url());
        return route.abort();
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(url, { waitUntil: 'networkidle' });
      // The default document holds two operations, so the run button asks which one.
      await page.locator('.graphiql-execute-button').click();
      await page.getByRole('menuitem', { name: 'Plans' }).click();
      await expect
        .poll(() => page.locator('.result-window').innerText(), { timeout: 15_000 })
        .toContain('"priceCents"');

      expect(offMachine).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
