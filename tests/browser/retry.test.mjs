// The player page keeps playing by itself: after its session is DELETEd elsewhere, across a
// restart of the server on the same ports, and when the stream appears only after the page
// was opened (404 until then). And it ends its session when it goes away.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLAYER_DIR } from './lib/browser.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { openPlayer, waitForFrames, withDiagnostics } from './lib/player.mjs';
import { Publisher } from './lib/publisher.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only

const kIceServers = [{ urls: ['stun:127.0.0.1:3478'] },
                     { urls: ['turn:127.0.0.1:3478?transport=udp'], username: 'viewer', credential: 'se,cr"et' }];

const session = (page) => page.evaluate(() => window.ocellusPlayer.player.sessionUrl);
const states = (page) => page.evaluate(() => window.statusLog.map((s) => s.state));

describe('player page retries', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  // ICE servers that the 201s hand out in Link headers; nothing listens there (loopback only),
  // and the host candidates still connect.
  serverAndBrowser({ webrtc: { ice_servers: kIceServers } }, async (made) => {
    ({ server, browser, page } = made);
    await openPlayer(page, server);
    await waitForFrames(page, 30);
  });

  test('a session DELETEd elsewhere: the page starts a new one and plays again', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const first = await session(page);
         assert.match(first, /\/webrtc\/sessions\/[^/]+$/);
         const logged = (await states(page)).length;
         const r = await fetch(first, { method: 'DELETE' });
         assert.equal(r.status, 200);
         await page.waitForFunction((first) => {
           const url = window.ocellusPlayer.player.sessionUrl;
           return url && url !== first;
         }, first, { timeout: 30000 });
         const stats = await waitForFrames(page, 30); // the new connection's frames
         assert.equal(stats.mimeType, 'video/H264');
         await page.waitForFunction(() => window.ocellusPlayer.state === 'playing', null, { timeout: 10000 });
         const events = (await states(page)).slice(logged);
         assert.deepEqual(events, ['retrying', 'connecting', 'playing'], `status events: ${events}`);
         // Gone: a PATCH finds no session (a DELETE would answer 200, the session having ended).
         const patch = await fetch(first, { method: 'PATCH', headers: { 'Content-Type': 'application/trickle-ice-sdpfrag' }, body: '' });
         assert.equal(patch.status, 404, 'the old session is still there');
       }));

  test('ICE servers from the Link header are used, from the start after a reconnection', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const expected = [{ urls: 'stun:127.0.0.1:3478' },
                           { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'viewer', credential: 'se,cr"et' }];
         assert.deepEqual(await page.evaluate(() => window.ocellusPlayer.player.iceServers), expected);
         // The connection made after the first 201 (the DELETE test above) was created with them.
         const configured = await page.evaluate(() => window.ocellusPlayer.pc.getConfiguration().iceServers);
         assert.deepEqual(configured.map((s) => [s.urls].flat()[0]), expected.map((s) => s.urls));
         assert.equal(configured[1].username, 'viewer');
       }));

  test('the server stops and comes back on the same ports: the page says so, then plays again', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const before = await session(page);
         await server.stop();
         const status = page.locator('#status');
         await page.waitForFunction(() => window.ocellusPlayer.state === 'retrying', null, { timeout: 30000 });
         await status.waitFor({ state: 'visible', timeout: 5000 });
         assert.match(await status.textContent(), /retrying in \d/i);
         // Stay down long enough for a failed POST, so that the backoff is on the way back too.
         await page.waitForFunction(() => window.statusLog.some((s) => s.state === 'retrying' && s.status === 0),
                                    null, { timeout: 30000 });
         assert.match(await status.textContent(), /cannot reach the server/i);
         await server.start();
         await page.waitForFunction((before) => {
           const url = window.ocellusPlayer.player.sessionUrl;
           return url && url !== before;
         }, before, { timeout: 30000 });
         await waitForFrames(page, 30);
         await page.waitForFunction(() => window.ocellusPlayer.state === 'playing', null, { timeout: 10000 });
         assert.ok(await status.isHidden(), 'the retry message stays on screen while playing');
       }));

  test('a stream published after the page opened: "not found", retries with backoff, then plays', { timeout: kTimeout },
       async (t) => {
         // The server serves a player page only for a stream that exists (or a camera, which
         // may be offline): give this tab the page for /later/ as the demo's page.
         const late = await browser.newPage();
         await late.route((url) => url.pathname.startsWith('/later/') && !url.pathname.endsWith('/whep'), async (route) => {
           if (PLAYER_DIR) return route.fallback(); // the page comes from disk for any path anyway
           const response = await route.fetch({ url: route.request().url().replace('/later/', '/demo/') });
           return route.fulfill({ response });
         });
         const posts = [];
         late.on('request', (r) => {
           if (r.method() === 'POST' && r.url().endsWith('/later/whep')) posts.push(Date.now());
         });
         let publisher = null;
         try {
           await withDiagnostics(t, { server, browser, page: late }, async () => {
             await openPlayer(late, server, { stream: 'later' });
             const status = late.locator('#status');
             await late.waitForFunction(() => /not found \(404\)/.test(document.getElementById('status').textContent),
                                        null, { timeout: 15000 });
             assert.match(await status.textContent(), /“later” not found \(404\).*retrying in/is);
             await late.waitForFunction(() => window.statusLog.filter((s) => s.status === 404).length >= 3,
                                        null, { timeout: 30000 });
             const delays = await late.evaluate(() => window.statusLog.filter((s) => s.status === 404).map((s) => s.delayMs));
             assert.ok(delays[0] > 0 && delays[1] > delays[0] && delays[2] > delays[1], `no backoff: ${delays} ms`);
             const gaps = posts.slice(1, 3).map((at, i) => at - posts[i]);
             assert.ok(gaps.every((gap, i) => gap >= delays[i] - 20), `POSTs ${gaps} ms apart, sooner than ${delays}`);
             publisher = Publisher.start(server, 'later');
             await waitForFrames(late, 15, { timeout: 60000 });
             await late.waitForFunction(() => window.ocellusPlayer.state === 'playing', null, { timeout: 10000 });
             assert.ok(await status.isHidden());
           });
         } finally {
           await late.close();
           await publisher?.stop();
         }
       });

  test('leaving the page DELETEs its session; stop() does too', { timeout: kTimeout }, async (t) => {
    const tab = await browser.newPage();
    try {
      await withDiagnostics(t, { server, browser, page: tab }, async () => {
        // The DELETE and the browser's DTLS close_notify race: either ends the session first.
        const ended = (url) => waitUntil(() => {
          const id = url.split('/').pop();
          const log = server.logTail(1 << 20);
          return log.includes(`DELETE /webrtc/sessions/${id} `) && log.includes(`[whep ${id}] closed: `);
        }, { timeout: 15000, what: `the page to DELETE ${url}` });
        await openPlayer(tab, server);
        await waitForFrames(tab, 5);
        const first = await session(tab);
        await tab.evaluate(() => window.ocellusPlayer.player.stop());
        await ended(first);
        assert.equal(await tab.evaluate(() => window.ocellusPlayer.state), 'stopped');
        await tab.reload();
        await waitForFrames(tab, 5);
        const second = await session(tab);
        assert.notEqual(second, first);
        await tab.goto(server.http('/healthz'));
        await ended(second);
      });
    } finally {
      await tab.close();
    }
  });
});
