// VP8, VP9 and AV1 passed through WebRTC in headless Chromium: the player page plays VP8 and VP9
// streams that ffmpeg publishes over RTSP, and a page publishes AV1 over WHIP with Chromium's
// fake camera while a second page plays it over WHEP.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Browser } from './lib/browser.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { framesAfterFirst, openPlayer, videoStats, withDiagnostics } from './lib/player.mjs';
import { Publisher } from './lib/publisher.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

// Publishes the fake camera to `url` over WHIP with AV1 as the only video codec; resolves once
// the answer is applied. Runs in the page.
async function publishAv1(url) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
  const pc = new RTCPeerConnection();
  const transceiver = pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly' });
  const av1 = RTCRtpSender.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/AV1');
  if (!av1.length) throw new Error('this Chromium cannot send AV1');
  transceiver.setCodecPreferences(av1);
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
  if (r.status !== 201) throw new Error(`WHIP POST: ${r.status} ${await r.text()}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: await r.text() });
  window.publisher = pc;
}

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

  test('Chromium publishes AV1 over WHIP and another page plays it over WHEP', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const camera = await Browser.launch({ extraArgs: ['--use-fake-device-for-media-stream',
                                                            '--use-fake-ui-for-media-stream'] });
         try {
           const sender = await camera.newPage();
           await sender.goto(server.http('/healthz'));
           await sender.evaluate(publishAv1, server.http('/cam-av1/whip'));
           await waitUntil(() => server.logTail(1 << 20).includes("publishing 'cam-av1' from"),
                           { timeout: 30000, what: 'the AV1 publisher connected' });
           await openPlayer(page, server, { stream: 'cam-av1' });
           const { frames } = await framesAfterFirst(page, 2000);
           assert.ok(frames > 10, `only ${frames} frames decoded in the 2 s after the first`);
           const stats = await videoStats(page);
           assert.equal(stats.mimeType, 'video/AV1');
         } finally {
           await camera.close();
         }
       }));

  after(async () => {
    for (const p of publishers) await p.stop();
  });
});
