// The player page (src/api/web/player) in headless Chromium against a real ocellus: the demo
// plays over WHEP, the statistics overlay is live, glass-to-glass latency, a phone-sized window
// and a stream with sound.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PLAYER_DIR } from './lib/browser.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import {
  ARTIFACTS, audioStats, framesAfterFirst, measureLatency, openPlayer, percentile, videoStats, waitForFrames, withDiagnostics,
} from './lib/player.mjs';
import { Publisher } from './lib/publisher.mjs';
import { ROOT, waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

describe('player page', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({}, (made) => ({ server, browser, page } = made));

  test('the server serves every file of src/api/web/player with its type', {
    timeout: kTimeout,
    skip: PLAYER_DIR ? 'OCELLUS_PLAYER_DIR: the page comes from disk, not from this binary' : false,
  }, async (t) => diag(t, async () => {
    const dir = path.join(ROOT, 'src/api/web/player');
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
    for (const file of fs.readdirSync(dir)) {
      const url = server.http(file === 'index.html' ? '/demo/' : `/demo/${file}`);
      const r = await fetch(url);
      assert.equal(r.status, 200, url);
      const type = r.headers.get('content-type');
      assert.ok(types[path.extname(file)] && type.startsWith(types[path.extname(file)]), `${file} is served as ${type}`);
      const [served, source] = [await r.text(), fs.readFileSync(path.join(dir, file), 'utf8')];
      assert.ok(served === source, `${file} differs from the source (${served.length} vs ${source.length} characters): ` +
                'rebuild ocellus, the page is compiled in');
    }
  }));

  test('the demo plays over WHEP: more than 60 frames in the 3 s after the first, H.264', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         await openPlayer(page, server);
         const { frames, firstFrames, elapsedMs } = await framesAfterFirst(page, 3000);
         t.diagnostic(`frames decoded 3 s after the first: ${frames} (first report: ${firstFrames}, ` +
                      `window ${Math.round(elapsedMs)} ms)`);
         assert.ok(frames > 60, `only ${frames} frames decoded in the 3 s after the first`);
         const stats = await videoStats(page);
         assert.equal(stats.mimeType, 'video/H264');
         assert.match(stats.fmtp, /packetization-mode=1/);
         assert.deepEqual([stats.frameWidth, stats.frameHeight], [640, 360]);
         const video = await page.evaluate(() => {
           const v = window.ocellusPlayer.video;
           return { paused: v.paused, muted: v.muted, playsInline: v.playsInline, width: v.videoWidth, height: v.videoHeight };
         });
         assert.deepEqual(video, { paused: false, muted: true, playsInline: true, width: 640, height: 360 });
         assert.equal(await page.evaluate(() => window.ocellusPlayer.state), 'playing');
         assert.ok(await page.locator('#status').isHidden(), 'the status message is still shown while playing');
         const page_stats = await page.evaluate(() => window.ocellusPlayer.stats);
         assert.equal(page_stats.codec, 'H264');
       }));

  test('the statistics overlay is live', { timeout: kTimeout }, async (t) => diag(t, async () => {
    await waitForFrames(page, 10);
    const overlay = page.locator('#stats');
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const before = await overlay.textContent();
      seen.push(before);
      await page.waitForFunction((text) => document.getElementById('stats').textContent !== text, before,
                                 { timeout: 10000 });
    }
    const text = await overlay.textContent();
    t.diagnostic(`overlay: ${text.replace(/\n/g, ' | ')}`);
    assert.match(text, /640x360/);
    assert.match(text, /H264/);
    assert.match(text, /\d+ fps/);
    assert.match(text, /\d+ kbit\/s/);
    assert.match(text, /connected/);
    // RTT appears once the browser has had an answer to a consent check.
    await page.waitForFunction(() => /RTT \d/.test(document.getElementById('stats').textContent), null, { timeout: 15000 });
    const stats = await page.evaluate(() => window.ocellusPlayer.stats);
    assert.ok(stats.rttMs >= 0 && stats.rttMs < 500, `RTT ${stats.rttMs} ms on loopback`);
    assert.ok(stats.fps > 10 && stats.fps < 100, `fps ${stats.fps}`);
    assert.ok(stats.bitrateKbps > 50, `bitrate ${stats.bitrateKbps} kbit/s`);
    assert.equal(stats.packetsLost, 0);
    assert.ok(stats.framesDecoded > seen.length, 'the frame count does not grow');
    // The Stats button hides and shows it.
    await page.click('#toggle-stats');
    assert.ok(await overlay.isHidden());
    await page.click('#toggle-stats');
    await page.waitForFunction(() => document.getElementById('stats').textContent.includes('640x360'), null, { timeout: 5000 });
  }));

  test('glass-to-glass latency from the timestamp band', { timeout: kTimeout }, async (t) => diag(t, async () => {
    await waitForFrames(page, 90); // past the burst of the GOP cache at the start
    const { samples, received, failures, callbacks, width, height } = await measureLatency(page, 30);
    const median = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    const line = `glass-to-glass latency, WHEP in Chromium, demo ${width}x${height} at 30 fps: ` +
      `median ${median} ms, p95 ${p95} ms, min ${Math.min(...samples)} ms, max ${Math.max(...samples)} ms ` +
      `over ${samples.length} frames (${failures} undecodable of ${callbacks})` +
      (received.length ? `; drawn to last packet received: median ${percentile(received, 50)} ms` : '');
    t.diagnostic(line);
    console.log(line);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'latency.json'), JSON.stringify(
      { what: 'glass-to-glass latency, WHEP, Chromium, displayed frames', width, height, fps: 30,
        medianMs: median, p95Ms: p95, samplesMs: samples, receivedMs: received, failures,
        at: new Date().toISOString() }, null, 2));
    assert.ok(Math.min(...samples) >= -2, `a frame displayed before it was drawn: ${samples}`);
    assert.ok(median < 1500, `median latency ${median} ms`);
    assert.ok(failures <= callbacks / 4, `${failures} of ${callbacks} displayed frames had no readable band`);
  }));

  test('a phone-sized window: fits 360 px, plays inline and muted, sound on a tap', { timeout: kTimeout },
       async (t) => {
         const publisher = Publisher.start(server, 'phone', { audio: true });
         const phone = await browser.newPage();
         try {
           await withDiagnostics(t, { server, browser, page: phone }, async () => {
             await phone.setViewportSize({ width: 360, height: 640 });
             await waitUntil(async () => {
               const r = await fetch(server.http('/phone/'));
               await r.arrayBuffer();
               return r.status === 200;
             }, { timeout: 20000, what: 'ffmpeg to publish /phone' });
             await openPlayer(phone, server, { stream: 'phone' });
             await waitForFrames(phone, 5);
             const layout = await phone.evaluate(() => {
               const box = (id) => document.getElementById(id).getBoundingClientRect().toJSON();
               return { scrollWidth: document.documentElement.scrollWidth, video: box('video'), stats: box('stats'),
                        bar: box('fullscreen'), muted: window.ocellusPlayer.video.muted };
             });
             assert.ok(layout.scrollWidth <= 360, `the page is ${layout.scrollWidth} px wide`);
             for (const what of ['video', 'stats', 'bar']) {
               assert.ok(layout[what].right <= 360 && layout[what].left >= 0, `${what} sticks out: ${JSON.stringify(layout[what])}`);
             }
             assert.equal(layout.muted, true);
             const unmute = phone.locator('#unmute');
             await unmute.waitFor({ state: 'visible', timeout: 15000 });
             await unmute.click();
             await phone.waitForFunction(() => !window.ocellusPlayer.video.muted, null, { timeout: 5000 });
             await unmute.waitFor({ state: 'hidden', timeout: 5000 });
             await phone.waitForFunction(() => window.ocellusPlayer.stats?.audioCodec, null, { timeout: 15000 });
             const audioCodec = await phone.evaluate(() => window.ocellusPlayer.stats.audioCodec);
             assert.equal(audioCodec.toLowerCase(), 'opus');
             assert.ok((await audioStats(phone))?.packetsReceived > 0, 'no audio packets');
           });
         } finally {
           await phone.close();
           await publisher.stop();
         }
       });
});
