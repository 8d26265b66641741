// hls.js (node_modules, pinned in package-lock.json) in Chromium against a real ocellus: the demo
// plays over Low-Latency HLS (parts, blocking reload) and over plain HLS, and the glass-to-glass
// latency of LL-HLS is read from the timestamp band of the displayed frames.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openHlsJs, readState, waitForPlayback } from './lib/hlsjs.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { measureLatency, percentile, withDiagnostics } from './lib/player.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

describe('hls.js', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({}, (made) => ({ server, browser } = made), { withPage: false });

  test('hls.js plays the demo over LL-HLS: parts, blocking reload, frames, no fatal error', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         // Once the playlist has segments older than CAN-SKIP-UNTIL (six 1 s targets), the reloads
         // hls.js sends with _HLS_skip=YES get delta updates.
         await waitUntil(async () => (await (await fetch(server.http('/demo/stream.m3u8?_HLS_skip=YES'))).text())
           .includes('#EXT-X-SKIP:'), { timeout: 30000, what: 'a delta update' });
         page = await openHlsJs(browser, server, '/demo/index.m3u8', { lowLatency: true });
         const { start, end } = await waitForPlayback(page, 3);
         t.diagnostic(`hls.js ${end.version}: ${JSON.stringify(end.details)}; currentTime ${start.currentTime.toFixed(2)} ` +
                      `→ ${end.currentTime.toFixed(2)} s, frames ${start.frames} → ${end.frames}, ` +
                      `hls.latency ${end.hlsLatency?.toFixed(2)} s, errors ${JSON.stringify(end.errors)}`);
         assert.ok(end.details.live, 'hls.js does not see a live playlist');
         assert.ok(end.details.parts > 0, `no LL-HLS parts in the playlist hls.js parsed: ${JSON.stringify(end.details)}`);
         assert.equal(end.details.canBlockReload, true);
         const blocking = page.playlists.filter((url) => {
           const query = new URL(url).searchParams;
           return query.has('_HLS_msn') && query.has('_HLS_part');
         });
         t.diagnostic(`blocking playlist reloads: ${blocking.length} of ${page.playlists.length} playlist requests`);
         assert.ok(blocking.length > 3, `hls.js made ${blocking.length} blocking reloads: ${page.playlists.slice(-5)}`);
         const deltas = await page.evaluate(() => window.hlsTest.deltaUpdates);
         t.diagnostic(`delta updates hls.js merged: ${deltas}`);
         assert.ok(deltas > 0, 'hls.js merged no delta update (EXT-X-SKIP)');
         assert.ok(end.frames - start.frames > 45, `only ${end.frames - start.frames} frames presented in 3 s of playback`);
         assert.deepEqual([end.width, end.height, end.muted, end.paused], [640, 360, true, false]);
       }));

  test('glass-to-glass latency of LL-HLS in hls.js from the timestamp band', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         await waitForPlayback(page, 2); // settled at hls.js's live sync position
         const { samples, failures, callbacks } = await measureLatency(page, 30, { video: '#video' });
         const median = percentile(samples, 50);
         const line = `hls.js LL-HLS glass-to-glass: median ${median} ms (n=${samples.length}), ` +
           `p95 ${percentile(samples, 95)} ms, min ${Math.min(...samples)} ms, max ${Math.max(...samples)} ms ` +
           `(${failures} undecodable of ${callbacks}; hls.latency ${(await readState(page)).hlsLatency?.toFixed(2)} s)`;
         t.diagnostic(line);
         console.log(line);
         assert.ok(Math.min(...samples) >= -2, `a frame displayed before it was drawn: ${samples}`);
         assert.ok(median < 10000, `median latency ${median} ms: the pipeline is broken, not just slow`);
         assert.ok(failures <= callbacks / 4, `${failures} of ${callbacks} displayed frames had no readable band`);
         const { errors } = await readState(page);
         assert.ok(!errors.some((e) => e.fatal), JSON.stringify(errors));
       }));

  test('hls.js plays plain HLS (?ll=0, lowLatencyMode off): complete segments only', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         await page?.close();
         page = await openHlsJs(browser, server, '/demo/index.m3u8?ll=0', { lowLatency: false });
         const { start, end } = await waitForPlayback(page, 3);
         const { samples } = await measureLatency(page, 10, { video: '#video' });
         const line = `hls.js plain HLS glass-to-glass: median ${percentile(samples, 50)} ms (n=${samples.length})`;
         t.diagnostic(`${JSON.stringify(end.details)}; frames ${start.frames} → ${end.frames}; ${line}`);
         console.log(line);
         assert.ok(end.details.live);
         assert.equal(end.details.parts, 0, 'the ?ll=0 playlist lists parts');
         assert.ok(!page.playlists.some((url) => url.includes('_HLS_')), `LL-HLS directives: ${page.playlists}`);
         assert.ok(end.frames - start.frames > 45, `only ${end.frames - start.frames} frames presented in 3 s of playback`);
         assert.ok(!end.errors.some((e) => e.fatal), JSON.stringify(end.errors));
       }));
});
