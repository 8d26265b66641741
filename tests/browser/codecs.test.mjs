// VP8, VP9 and AV1 passed through WebRTC in headless Chromium: the player page plays VP8 and VP9
// streams that ffmpeg publishes over RTSP, and a page publishes AV1 over WHIP with Chromium's
// fake camera while a second page plays it over WHEP and hls.js plays its LL-HLS (fMP4 'av01').
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Browser, FAKE_MEDIA_FLAGS } from './lib/browser.mjs';
import { openHlsJs, waitForPlayback } from './lib/hlsjs.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { framesAfterFirst, openPlayer, videoStats, withDiagnostics } from './lib/player.mjs';
import { Publisher } from './lib/publisher.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { openWhipPublisher } from './lib/whip.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

describe('VP8, VP9 and AV1 over WebRTC', () => {
  let server;
  let browser;
  let page;
  const publishers = [];
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({}, (made) => ({ server, browser, page } = made));

  for (const codec of ['vp8', 'vp9']) {
    test(`a ${codec.toUpperCase()} stream plays over WHEP`, { timeout: kTimeout }, async (t) => diag(t, async () => {
      publishers.push(Publisher.start(server, `cam-${codec}`, { video: codec }));
      await waitUntil(() => server.logTail(1 << 20).includes(`publishing 'cam-${codec}'`),
                      { timeout: 30000, what: `cam-${codec} published` });
      await openPlayer(page, server, { stream: `cam-${codec}` });
      const { frames } = await framesAfterFirst(page, 2000);
      assert.ok(frames > 10, `only ${frames} frames decoded in the 2 s after the first`);
      const stats = await videoStats(page);
      assert.equal(stats.mimeType, `video/${codec.toUpperCase()}`);
      assert.deepEqual([stats.frameWidth, stats.frameHeight], [320, 180]);
    }));
  }

  test('Chromium publishes AV1 over WHIP; another page plays it over WHEP, hls.js over LL-HLS', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const camera = await Browser.launch({ args: FAKE_MEDIA_FLAGS });
         try {
           const sender = await openWhipPublisher(camera, server, 'cam-av1', { audio: false, videoCodec: 'video/AV1' });
           assert.deepEqual(await sender.evaluate(() => window.whip.errors), []);
           await waitUntil(() => server.logTail(1 << 20).includes("publishing 'cam-av1' from"),
                           { timeout: 30000, what: 'the AV1 publisher connected' });
           await openPlayer(page, server, { stream: 'cam-av1' });
           const { frames } = await framesAfterFirst(page, 2000);
           assert.ok(frames > 10, `only ${frames} frames decoded in the 2 s after the first`);
           const stats = await videoStats(page);
           assert.equal(stats.mimeType, 'video/AV1');
           // The sequence header of the browser's first keyframe describes the track for fMP4.
           const index = await (await fetch(server.http('/cam-av1/index.m3u8'))).text();
           assert.match(index, /CODECS="av01\.0\.\d\dM\.08"/, index);
           const hls = await openHlsJs(browser, server, '/cam-av1/index.m3u8', { lowLatency: true });
           const { end } = await waitForPlayback(hls, 2);
           assert.deepEqual([end.width, end.height], [stats.frameWidth, stats.frameHeight]);
         } finally {
           await camera.close();
         }
       }));

  after(async () => {
    for (const p of publishers) await p.stop();
  });
});
