// Helpers for the dashboard's browser tests (tests/browser/dashboard/): sign in through the real
// login form, screenshots at desktop and phone sizes (tests/browser/artifacts/, not committed),
// and a page's console errors, which every test asserts are none.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from './player.mjs';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/**
 * Records what went wrong in the page from now on: console errors, uncaught exceptions, and
 * every HTTP answer >= 400 as "HTTP <status> <METHOD> <path>" (Chromium's own console line for
 * those, "Failed to load resource", names no URL and comes late, so it is left out). A test
 * allows the failures it causes itself by pattern (assertNoConsoleErrors).
 */
export function consoleErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of')) {
      errors.push(m.text());
    }
  });
  page.on('pageerror', (e) => errors.push(String(e.stack || e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return errors;
}

/** Fails with the errors listed, ignoring those `allowed` matches (e.g. /HTTP 400 POST \/api\/v1\/cameras/). */
export function assertNoConsoleErrors(errors, allowed = []) {
  const left = errors.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(left, [], `console errors:\n${left.join('\n')}`);
}

/** Opens the dashboard at `route` (e.g. '/recordings') and signs in through the form. */
export async function signIn(page, server, { username = 'admin', password = server.adminPassword, remember = false, route = '/live' } = {}) {
  await page.goto(server.http(`/#${route}`));
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  if (remember) await page.locator('input[name=remember]').check();
  await page.locator('form button[type=submit]').click();
  await page.locator('header.topbar').waitFor({ timeout: 15000 });
}

/** Full-page screenshots at desktop and phone widths: artifacts/dashboard-<name>-<size>.png. */
export async function screenshots(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}-${size}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

/**
 * Runs in the page (pass it to page.waitForFunction; it uses nothing from outside its body):
 * true once the page shows its content: an <h1> in <main>, the lazy-loading fallback
 * ("Loading…", a direct child of <main>) gone, and nothing in <main> marked aria-busy.
 */
export function pageShown() {
  const main = document.querySelector('main');
  return !!main?.querySelector('h1') && ![...main.children].some((c) => c.textContent === 'Loading…')
    && !main.querySelector('[aria-busy="true"]');
}

/** A REST call from the test itself (not the page): {status, body} of /api/v1{path} with `token`. */
export async function api(server, token, method, route, body) {
  const r = await fetch(server.http(`/api/v1${route}`), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
