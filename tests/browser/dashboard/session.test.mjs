// Signing in and staying signed in: a wrong password says so; the page asked for before signing
// in is the one shown after; without "remember me" the session is this tab's only, with it a new
// tab is signed in too; the 30 s access token is refreshed in the background and the page keeps
// working past its expiry; the live-updates WebSocket comes back after a server restart and the
// page fetches what changed meanwhile (a camera added to ocellus.yml while it was down); signing
// out shows the form again and revokes the refresh token.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoConsoleErrors, consoleErrors, screenshots, signIn } from '../lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../lib/netns.mjs';
import { withDiagnostics } from '../lib/player.mjs';
import { serverAndBrowser } from '../lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only
const kStored = 'ocellus.session';

describe('dashboard sign-in and session', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({ auth: { access_token_ttl_seconds: 30 } }, (made) => ({ server, browser, page } = made));

  const stored = (p, where) => p.evaluate(([k, w]) => (w === 'local' ? localStorage : sessionStorage).getItem(k), [kStored, where]);
  const signedIn = (p) => p.locator('header.topbar').waitFor({ timeout: 15000 });
  const loginForm = (p) => p.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15000 });

  test('a wrong password is refused with the reason; the page asked for comes after signing in', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const errors = consoleErrors(page);
         await page.goto(server.http('/#/alerts'));
         await loginForm(page);
         assert.match(page.url(), /#\/login\?next=%2Falerts$/);
         await page.getByLabel('Username').fill('admin');
         await page.getByLabel('Password').fill('not-the-password');
         await page.getByRole('button', { name: 'Sign in' }).click();
         const alert = page.getByRole('alert');
         await alert.waitFor();
         assert.match(await alert.textContent(), /AUTH_CREDENTIALS_INVALID/);
         await screenshots(page, 'login-refused');

         await page.getByLabel('Password').fill(server.adminPassword);
         await page.getByRole('button', { name: 'Sign in' }).click();
         await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor({ timeout: 15000 });
         assert.match(page.url(), /#\/alerts$/);
         assertNoConsoleErrors(errors, [/^HTTP 401 POST \/api\/v1\/auth\/login$/]);
       }));

  test('without remember me the session is the tab\'s; with it a new tab is signed in', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         assert.ok(await stored(page, 'session'), 'the session is in sessionStorage');
         assert.equal(await stored(page, 'local'), null);
         const other = await browser.newPage();
         try {
           await other.goto(server.http('/#/live'));
           await loginForm(other); // sessionStorage is per tab
           await page.getByRole('button', { name: 'Sign out' }).click();
           await loginForm(page);

           await signIn(page, server, { remember: true });
           assert.ok(await stored(page, 'local'), 'remembered in localStorage');
           assert.equal(await stored(page, 'session'), null);
           await other.reload();
           await signedIn(other);
         } finally {
           await other.close();
         }
       }));

  test('the 30 s access token is refreshed in the background; the page works past its expiry', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const errors = consoleErrors(page);
         await page.goto(server.http('/#/alerts'));
         await signedIn(page);
         const first = JSON.parse(await stored(page, 'local'));
         // Refreshed before expiry (a quarter of the time left before it) and again later.
         for (let i = 0; i < 2; i++) {
           const r = await page.waitForResponse((x) => new URL(x.url()).pathname === '/api/v1/auth/refresh', { timeout: 40000 });
           assert.equal(r.status(), 200);
         }
         const now = JSON.parse(await stored(page, 'local'));
         assert.notEqual(now.access, first.access);
         assert.ok(Date.now() > first.expiresAt, 'the first access token has expired by now');
         // A REST call (the camera list) and the WebSocket with the current token: no 401.
         await page.goto(server.http('/#/live'));
         await page.locator('article.tile[data-camera="demo"]').waitFor();
         await page.locator('.connection-online').waitFor({ timeout: 15000 });
         assertNoConsoleErrors(errors);
       }));

  test('after a server restart the WebSocket comes back and the page fetches what changed', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const errors = consoleErrors(page);
         await page.goto(server.http('/#/live'));
         await page.locator('.connection-online').waitFor({ timeout: 15000 });
         await server.stop();
         await page.locator('.connection-offline').waitFor({ timeout: 15000 });
         server.config.cameras = [{ id: 'added', name: 'Added while away', source: `rtsp://127.0.0.1:${server.rtspPort}/demo` }];
         await server.start();
         await page.locator('.connection-online').waitFor({ timeout: 30000 });
         await page.locator('article.tile[data-camera="added"]').waitFor({ timeout: 15000 });
         // While the server was down, reconnect attempts and requests failed; nothing else.
         assertNoConsoleErrors(errors, [/net::ERR_CONNECTION_REFUSED/, /WebSocket connection to .* failed/, /^HTTP 404 POST \/demo\/whep$/]);
       }));

  test('signing out shows the form and revokes the refresh token', { timeout: kTimeout }, async (t) => diag(t, async () => {
    const { refresh } = JSON.parse(await stored(page, 'local'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await loginForm(page);
    assert.equal(await stored(page, 'local'), null);
    const r = await fetch(server.http('/api/v1/auth/refresh'), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: refresh }),
    });
    assert.equal(r.status, 401);
  }));
});
