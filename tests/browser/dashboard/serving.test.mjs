// The dashboard as the server itself sends it (the copy embedded in ocellus, not a web/dist
// folder): GET / with its Content-Security-Policy, hashed assets gzip-compressed and cached for
// good, the login form, and, once signed in, the live-updates WebSocket, which the policy's
// connect-src 'self' must allow. A CSP violation is a console error, and there must be none.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoConsoleErrors, consoleErrors, screenshots, signIn } from '../lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../lib/netns.mjs';
import { serverAndBrowser } from '../lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 60000; // per test: a hang guard only

describe('dashboard served by ocellus', () => {
  let server;
  let page;

  serverAndBrowser({}, async (made) => {
    ({ server, page } = made);
    // OCELLUS_WEB_DIR would answer / and /assets/* from a build folder: this test is about
    // what the server sends.
    await made.browser.context.unrouteAll({ behavior: 'wait' });
  });

  test('/ and its assets carry the CSP and cache headers, the login form shows, no console errors',
       { timeout: kTimeout }, async () => {
         const errors = consoleErrors(page);
         const assets = [];
         page.on('response', (r) => {
           if (new URL(r.url()).pathname.startsWith('/assets/')) assets.push(r);
         });
         const response = await page.goto(server.http('/'));
         assert.equal(response.status(), 200);
         const headers = response.headers();
         assert.match(headers['content-security-policy'], /^default-src 'self'; script-src 'self'; style-src 'self';/);
         assert.match(headers['content-security-policy'], /connect-src 'self'/);
         assert.equal(headers['cache-control'], 'no-cache');
         assert.equal(headers['x-content-type-options'], 'nosniff');

         await page.getByRole('heading', { name: 'Ocellus' }).waitFor({ timeout: 15000 });
         await page.getByLabel('Username').waitFor();
         await page.getByLabel('Password').waitFor();
         await page.getByRole('button', { name: 'Sign in' }).waitFor();

         const scripts = assets.filter((r) => r.url().endsWith('.js'));
         assert.ok(scripts.length > 0, 'no script loaded from /assets/');
         for (const r of assets) {
           assert.equal(r.status(), 200, r.url());
           assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable', r.url());
         }
         // Chromium accepts gzip; the entry script is large enough to have a gzip copy.
         assert.ok(scripts.some((r) => r.headers()['content-encoding'] === 'gzip'),
                   `no script came gzip-compressed: ${scripts.map((r) => r.url()).join(', ')}`);
         await screenshots(page, 'login');
         assertNoConsoleErrors(errors);
       });

  test('signed in, the WebSocket to /ws connects under the policy', { timeout: kTimeout }, async () => {
    const errors = consoleErrors(page);
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
    await signIn(page, server);
    await page.locator('header.topbar .connection-online').waitFor({ timeout: 15000 });
    assert.deepEqual(sockets, ['/ws']);
    assertNoConsoleErrors(errors);
  });
});
