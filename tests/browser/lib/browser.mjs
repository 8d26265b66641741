// Headless Chromium (Debian's /usr/bin/chromium) through playwright-core, with the flags of
// LAB.md and a fresh profile. Run it inside the loopback namespace (netns.mjs).
//
// OCELLUS_PLAYER_DIR=<folder>: serve the player page's files from that folder (the browser
// intercepts GET /{path}/ and /{path}/<file>) instead of the copies compiled into ocellus, to
// work on the page without a rebuild. Unset (as in ctest), the server's own copies are tested.
// OCELLUS_WEB_DIR=<folder>: the same for the dashboard: GET / and /assets/* come from a
// `npm run build` output folder (web/dist) instead of the server's embedded copy, with the
// Content-Security-Policy the server sends with the page, so a page that breaks it fails here too.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { scratchDir } from './netns.mjs';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const PLAYER_DIR = process.env.OCELLUS_PLAYER_DIR ? path.resolve(process.env.OCELLUS_PLAYER_DIR) : null;
export const WEB_DIR = process.env.OCELLUS_WEB_DIR ? path.resolve(process.env.OCELLUS_WEB_DIR) : null;
for (const [name, dir] of [['OCELLUS_PLAYER_DIR', PLAYER_DIR], ['OCELLUS_WEB_DIR', WEB_DIR]]) {
  if (dir && !fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${name}=${dir}: no index.html there`);
}
const kFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                // WebRTC gathers on the loopback interface only with this switch AND camera or
                // microphone permission granted (Chromium's rule for non-default addresses), so
                // launch() grants both; without either it gathers nothing at all in the namespace.
                '--allow-loopback-in-peer-connection'];
const kDashboardCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                    + "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:";
const kTypes = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
                 '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

export class Browser {
  /**
   * A persistent context on a fresh user-data-dir; options go to launchPersistentContext, but
   * for extraArgs: switches added to ours (such as a fake camera's).
   */
  static async launch({ extraArgs = [], ...options } = {}) {
    const browser = new Browser();
    browser.profile = fs.mkdtempSync(path.join(scratchDir(), 'chromium-'));
    browser.logs = [];
    browser.context = await chromium.launchPersistentContext(browser.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...kFlags, ...extraArgs],
      viewport: { width: 1280, height: 720 },
      timeout: 60000,
      ...options,
    });
    // A document answered by the routes below has no IP address, so Chromium's Local Network
    // Access checks count it as public and block its requests to 127.0.0.1 unless granted.
    await browser.context.grantPermissions(['camera', 'microphone', ...(PLAYER_DIR || WEB_DIR ? ['local-network-access'] : [])]);
    if (PLAYER_DIR) await browser.context.route(() => true, (route) => browser.#servePlayerFile(route));
    if (WEB_DIR) await browser.context.route(() => true, (route) => browser.#serveDashboardFile(route));
    return browser;
  }

  /** A new tab that records its console and page errors (printed by dumpLogs after a failure). */
  async newPage() {
    const page = await this.context.newPage();
    const tag = `[page ${this.context.pages().length}]`;
    page.on('console', (m) => this.logs.push(`${tag} console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.logs.push(`${tag} pageerror: ${e.stack || e}`));
    page.on('requestfailed', (r) => this.logs.push(`${tag} ${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`));
    return page;
  }

  logText() {
    return this.logs.join('\n');
  }

  async close() {
    try {
      await this.context.close();
    } finally {
      fs.rmSync(this.profile, { recursive: true, force: true });
    }
  }

  async #servePlayerFile(route) {
    const request = route.request();
    const url = new URL(request.url());
    if (request.method() === 'GET' && !url.pathname.startsWith('/api/')) {
      const last = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
      const file = url.pathname.endsWith('/') && url.pathname !== '/' ? 'index.html' : last;
      const full = path.join(PLAYER_DIR, file);
      if (file && !file.startsWith('.') && kTypes[path.extname(file)] && fs.existsSync(full)) {
        return route.fulfill({ status: 200, body: fs.readFileSync(full),
                               headers: { 'Content-Type': kTypes[path.extname(file)], 'Cache-Control': 'no-cache' } });
      }
    }
    return route.fallback();
  }

  async #serveDashboardFile(route) {
    const request = route.request();
    const url = new URL(request.url());
    const file = url.pathname === '/' ? 'index.html' : url.pathname.startsWith('/assets/') ? url.pathname.slice(1) : null;
    const full = file && path.join(WEB_DIR, file);
    if (request.method() === 'GET' && full && !file.includes('..') && fs.existsSync(full)) {
      return route.fulfill({ status: 200, body: fs.readFileSync(full),
                             headers: { 'Content-Type': kTypes[path.extname(file)] || 'application/octet-stream',
                                        'Content-Security-Policy': kDashboardCsp } });
    }
    return route.fallback();
  }
}
