// hls.js (node_modules, pinned in package-lock.json) in Chromium against a real ocellus: the demo
// plays over Low-Latency HLS (parts, blocking reload) and over plain HLS, and the glass-to-glass
// latency of LL-HLS is read from the timestamp band of the displayed frames.
//
// The test page is not part of ocellus: the browser answers a URL on the server's own origin
// (page.route) with a minimal page and hls.min.js read from disk, so no CDN and no CORS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { measureLatency, percentile, withDiagnostics } from './lib/player.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only
const kHlsJs = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/hls.js/dist/hls.min.js');
const kPagePath = '/__hlsjs__/';

// Plays ?src= with hls.js (lowLatencyMode from ?ll=) in a muted autoplaying <video>, and keeps
// what the test reads in window.hlsTest: the media playlist details hls.js parsed, its errors,
// and the number of frames presented (requestVideoFrameCallback).
const kPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>hls.js</title><script src="${kPagePath}hls.min.js"></script></head>
<body><video id="video" muted autoplay playsinline></video>
<script>
  const query = new URLSearchParams(location.search);
  const video = document.getElementById('video');
  const state = window.hlsTest = { version: Hls.version, details: null, errors: [], frames: 0 };
  const count = () => {
    state.frames += 1;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  const hls = window.hls = new Hls({ lowLatencyMode: query.get('ll') === '1' });
  hls.on(Hls.Events.LEVEL_LOADED, (event, { details }) => {
    state.details = { live: details.live, parts: details.partList?.length ?? 0, canBlockReload: details.canBlockReload,
                      partTarget: details.partTarget, targetDuration: details.targetduration };
  });
  hls.on(Hls.Events.ERROR, (event, { type, details, fatal }) => {
    state.errors.push({ type, details, fatal });
    console.log('hls.js error', type, details, fatal ? 'FATAL' : '');
  });
  hls.loadSource(query.get('src'));
  hls.attachMedia(video);
</script></body></html>`;

/**
 * A new tab that plays `src` (a path on the server) with hls.js; lowLatencyMode per `lowLatency`.
 * page.playlists: the URL of every playlist request, in order.
 */
async function openHlsJs(browser, server, src, { lowLatency }) {
  const page = await browser.newPage();
  page.playlists = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('.m3u8')) page.playlists.push(request.url());
  });
  await page.route(server.http(`${kPagePath}**`), (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === `${kPagePath}hls.min.js`) {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: fs.readFileSync(kHlsJs) });
    }
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: kPage });
  });
  await page.goto(server.http(`${kPagePath}?src=${encodeURIComponent(src)}&ll=${lowLatency ? 1 : 0}`));
  await page.waitForFunction(() => window.hlsTest, null, { timeout: 10000 });
  return page;
}

const readState = (page) => page.evaluate(() => {
  const video = document.getElementById('video');
  return { ...window.hlsTest, currentTime: video.currentTime, paused: video.paused, muted: video.muted,
           width: video.videoWidth, height: video.videoHeight, hlsLatency: window.hls.latency };
});

/**
 * Waits for playback, then for currentTime to advance by `seconds` with frames presented meanwhile;
 * returns the state at the end. Fails at once on a fatal hls.js error.
 */
async function waitForPlayback(page, seconds) {
  const check = (state) => {
    const fatal = state.errors.find((e) => e.fatal);
    if (fatal) throw new Error(`fatal hls.js error: ${JSON.stringify(fatal)}`);
    return state;
  };
  const start = await waitUntil(async () => {
    const state = check(await readState(page));
    return state.currentTime > 0 && state.frames > 0 ? state : null;
  }, { timeout: 30000, interval: 100, what: 'hls.js to start playing' });
  const end = await waitUntil(async () => {
    const state = check(await readState(page));
    return state.currentTime >= start.currentTime + seconds ? state : null;
  }, { timeout: 3000 * seconds + 10000, interval: 100, what: `currentTime to advance ${seconds} s` });
  return { start, end };
}

describe('hls.js', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({}, (made) => ({ server, browser } = made), { withPage: false });

  test('hls.js plays the demo over LL-HLS: parts, blocking reload, frames, no fatal error', { timeout: kTimeout },
       async (t) => diag(t, async () => {
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
