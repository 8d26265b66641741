// hls.js (node_modules, pinned in package-lock.json) in a Chromium tab, for the suites that play
// HLS: the test page is not part of ocellus: the browser answers a URL on the server's own origin
// (page.route) with a minimal page and hls.min.js read from disk, so no CDN and no CORS.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './server.mjs';

const kHlsJs = path.join(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/hls.js/dist/hls.min.js');
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
  const state = window.hlsTest = { version: Hls.version, details: null, errors: [], frames: 0, deltaUpdates: 0 };
  const count = () => {
    state.frames += 1;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  const hls = window.hls = new Hls({ lowLatencyMode: query.get('ll') === '1' });
  hls.on(Hls.Events.LEVEL_LOADED, (event, { details }) => {
    // A delta update (EXT-X-SKIP) that hls.js could merge with the playlist it had.
    if (details.skippedSegments > 0 && !details.deltaUpdateFailed) state.deltaUpdates += 1;
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
export async function openHlsJs(browser, server, src, { lowLatency }) {
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

export const readState = (page) => page.evaluate(() => {
  const video = document.getElementById('video');
  return { ...window.hlsTest, currentTime: video.currentTime, paused: video.paused, muted: video.muted,
           width: video.videoWidth, height: video.videoHeight, hlsLatency: window.hls.latency };
});

/**
 * Waits for playback, then for currentTime to advance by `seconds` with frames presented meanwhile;
 * returns the state at the end. Fails at once on a fatal hls.js error.
 */
export async function waitForPlayback(page, seconds) {
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
