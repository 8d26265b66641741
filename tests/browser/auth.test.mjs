// The player page against a server that wants credentials for media (auth.anonymous_media:
// none): the WHEP POST answers 401, the page shows its sign-in form, and signing in as the
// bootstrap admin plays; the token lives in sessionStorage; ?token= works as well.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { openPlayer, waitForFrames, withDiagnostics } from './lib/player.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

describe('player page sign-in', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({ auth: { anonymous_media: 'none' } }, (made) => ({ server, browser, page } = made));

  test('a 401 shows the sign-in form; a wrong password says so; the admin password plays', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const whep = [];
         page.on('response', (r) => {
           if (r.url().endsWith('/demo/whep')) whep.push(r.status());
         });
         await openPlayer(page, server);
         const form = page.locator('#signin');
         await form.waitFor({ state: 'visible', timeout: 15000 });
         assert.deepEqual(whep, [401]);
         assert.equal(await page.evaluate(() => window.ocellusPlayer.state), 'unauthorized');
         assert.match(await page.locator('#signin-title').textContent(), /sign in/i);
         assert.equal(await page.evaluate(() => window.ocellusPlayer.pc), null);

         await page.fill('input[name=username]', 'admin');
         await page.fill('input[name=password]', 'not-the-password');
         await page.click('#signin button[type=submit]');
         await page.waitForFunction(() => document.getElementById('signin-error').textContent !== '', null, { timeout: 10000 });
         assert.match(await page.locator('#signin-error').textContent(), /wrong username or password/i);
         assert.ok(await form.isVisible());

         await page.fill('input[name=password]', server.adminPassword);
         await page.click('#signin button[type=submit]');
         await form.waitFor({ state: 'hidden', timeout: 10000 });
         const stats = await waitForFrames(page, 30);
         assert.equal(stats.mimeType, 'video/H264');
         assert.deepEqual(whep, [401, 201]);
         const token = await page.evaluate(() => sessionStorage.getItem('ocellus.accessToken'));
         assert.equal(token.split('.').length, 3, 'no JWT kept in sessionStorage');

         // A reload in the same tab signs in by itself.
         await page.reload();
         await waitForFrames(page, 10);
         assert.ok(await form.isHidden());
         assert.deepEqual(whep.slice(-1), [201]);
       }));

  test('?token= plays without the form and leaves the address bar', { timeout: kTimeout }, async (t) => {
    const token = await server.login();
    const tab = await browser.newPage(); // a new tab: its own, empty sessionStorage
    try {
      await withDiagnostics(t, { server, browser, page: tab }, async () => {
        await openPlayer(tab, server, { query: `?token=${encodeURIComponent(token)}&stats=0` });
        await waitForFrames(tab, 10);
        assert.ok(await tab.locator('#signin').isHidden());
        assert.equal(new URL(tab.url()).search, '?stats=0');
        assert.ok(await tab.locator('#stats').isHidden(), '?stats=0 shows the statistics');
      });
    } finally {
      await tab.close();
    }
  });

  test('a bad ?token= shows the form again with a reason', { timeout: kTimeout }, async (t) => {
    const tab = await browser.newPage();
    try {
      await withDiagnostics(t, { server, browser, page: tab }, async () => {
        await openPlayer(tab, server, { query: '?token=not-a-token' });
        await tab.locator('#signin').waitFor({ state: 'visible', timeout: 15000 });
        assert.match(await tab.locator('#signin-error').textContent(), /expired/i);
        assert.equal(await tab.evaluate(() => sessionStorage.getItem('ocellus.accessToken')), null);
      });
    } finally {
      await tab.close();
    }
  });
});
