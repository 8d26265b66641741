// Chromium publishes its fake camera and microphone over WHIP (lib/whip.mjs), and what it sends
// is a stream like any other: a second Chromium page plays it on the player page over WHEP,
// ffprobe reads it over RTSP, LL-HLS has segments (the server asks for keyframes), and the
// DELETE of the WHIP session ends it for everyone.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { FAKE_MEDIA_FLAGS } from './lib/browser.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { audioStats, openPlayer, videoStats, waitForFrames, withDiagnostics } from './lib/player.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';
import { endWhipSession, openWhipPublisher, publisherStats } from './lib/whip.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only
const kStream = 'chromium-cam';

async function ffprobe(url) {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_streams',
                                                           '-of', 'json', url], { timeout: 30000 });
  return JSON.parse(stdout).streams;
}

const pathStatus = async (server) => {
  const r = await fetch(server.http(`/${kStream}/`));
  await r.arrayBuffer();
  return r.status;
};

describe('WHIP from Chromium', () => {
  let server;
  let browser;
  let publisher;
  let player;
  let token;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page: player ?? publisher }, fn);

  serverAndBrowser({}, async (made) => {
    ({ server, browser } = made);
    token = await server.login();
  }, { withPage: false, launch: { args: FAKE_MEDIA_FLAGS } });

  test('the fake camera and microphone are published: H.264 and Opus packets sent, connected', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         publisher = await openWhipPublisher(browser, server, kStream, { token });
         const answered = await publisherStats(publisher);
         assert.equal(answered.status, 201, `POST /${kStream}/whip: ${JSON.stringify(answered.errors)}`);
         assert.match(answered.sessionUrl, /\/webrtc\/sessions\/[^/]+$/);
         const stats = await waitUntil(async () => {
           const s = await publisherStats(publisher);
           return s.connectionState === 'connected' && s.video?.packetsSent > 50 && s.audio?.packetsSent > 50 ? s : null;
         }, { timeout: 30000, interval: 200, what: 'the publisher to connect and send' });
         t.diagnostic(`publisher: camera ${stats.settings.width}x${stats.settings.height}, ` +
                      `video ${JSON.stringify(stats.video)}, audio ${JSON.stringify(stats.audio)}`);
         assert.equal(stats.video.mimeType, 'video/H264');
         assert.match(stats.video.fmtp, /packetization-mode=1/);
         assert.equal(stats.audio.mimeType, 'audio/opus');
         assert.equal(await pathStatus(server), 200);
         // Chromium completes DTLS before it nominates a pair: the address is known all the same.
         const logged = server.logTail(100000).split('\n').find((line) => line.includes(`publishing '${kStream}' from`));
         assert.match(logged ?? '(no such line)', /from udp 127\.0\.0\.1:\d+$/);
       }));

  test('another Chromium page plays it over WHEP: frames decoded grow, H.264 at the camera size, Opus',
       { timeout: kTimeout }, async (t) => diag(t, async () => {
         player = await browser.newPage();
         await openPlayer(player, server, { stream: kStream });
         const first = await waitForFrames(player, 10);
         const later = await waitForFrames(player, first.framesDecoded + 30);
         const { settings } = await publisherStats(publisher);
         t.diagnostic(`WHEP viewer: ${JSON.stringify(later)}`);
         assert.equal(later.mimeType, 'video/H264');
         assert.deepEqual([later.frameWidth, later.frameHeight], [settings.width, settings.height]);
         const audio = await waitUntil(async () => {
           const a = await audioStats(player);
           return a?.packetsReceived > 20 ? a : null;
         }, { timeout: 20000, interval: 200, what: 'audio packets on the WHEP page' });
         assert.equal(audio.mimeType, 'audio/opus');
       }));

  test('ffprobe reads it over RTSP: h264 at the camera size, and opus', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const streams = await ffprobe(`rtsp://127.0.0.1:${server.rtspPort}/${kStream}`);
         const { settings } = await publisherStats(publisher);
         const video = streams.find((s) => s.codec_type === 'video');
         const audio = streams.find((s) => s.codec_type === 'audio');
         t.diagnostic(`ffprobe: video ${video?.codec_name} ${video?.width}x${video?.height}, audio ${audio?.codec_name}`);
         assert.equal(video?.codec_name, 'h264', JSON.stringify(streams));
         assert.deepEqual([video.width, video.height], [settings.width, settings.height]);
         assert.equal(audio?.codec_name, 'opus', JSON.stringify(streams));
       }));

  test('a keyframe every 2 s although Chromium makes one only when asked: LL-HLS has segments', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const before = (await publisherStats(publisher)).video;
         const after = await waitUntil(async () => {
           const { video } = await publisherStats(publisher);
           return video.keyFramesEncoded >= before.keyFramesEncoded + 2 ? video : null;
         }, { timeout: 15000, interval: 200, what: 'two more keyframes from the publisher' });
         t.diagnostic(`publisher: ${after.keyFramesEncoded} keyframes in ${after.framesEncoded} frames, ` +
                      `${after.pliCount} PLIs received`);
         assert.ok(after.pliCount >= 2, `${after.pliCount} PLIs`);
         // The first request waits for a complete segment, which ends at a keyframe.
         const get = async (url) => {
           const r = await fetch(url, { signal: AbortSignal.timeout(15000) });
           const text = await r.text();
           assert.equal(r.status, 200, `${url}: ${text}`);
           return text;
         };
         const multivariant = server.http(`/${kStream}/index.m3u8`);
         const media = new URL((await get(multivariant)).trim().split('\n').pop(), multivariant).href;
         assert.match(await get(media), /#EXTINF:/);
       }));

  test('the publisher\'s own stats after all that: packets still going out, no error', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const before = await publisherStats(publisher);
         const after = await waitUntil(async () => {
           const s = await publisherStats(publisher);
           return s.video.packetsSent > before.video.packetsSent + 50 && s.audio.packetsSent > before.audio.packetsSent ? s : null;
         }, { timeout: 20000, interval: 200, what: 'more packets sent' });
         t.diagnostic(`publisher: ${after.video.framesEncoded} frames encoded, ${after.video.packetsSent} video and ` +
                      `${after.audio.packetsSent} audio packets sent, quality limitation ${after.video.qualityLimitationReason}`);
         assert.equal(after.connectionState, 'connected');
         assert.deepEqual(after.errors, []);
         assert.deepEqual([after.video.frameWidth, after.video.frameHeight], [after.settings.width, after.settings.height]);
       }));

  test('DELETE of the WHIP session ends the publication: the path is gone, the WHEP page sees the end',
       { timeout: kTimeout }, async (t) => diag(t, async () => {
         const logged = await player.evaluate(() => window.statusLog.length);
         assert.equal(await endWhipSession(publisher, { token }), 200);
         await waitUntil(async () => (await pathStatus(server)) === 404, { timeout: 10000, what: `/${kStream}/ to answer 404` });
         // The page's session ends (retrying), and its next POST finds no stream.
         const events = await player.waitForFunction((from) => {
           const log = window.statusLog.slice(from);
           return log.some((s) => s.state === 'retrying' && s.status === 404) && log;
         }, logged, { timeout: 30000 }).then((h) => h.jsonValue());
         t.diagnostic(`WHEP page after the DELETE: ${events.map((e) => `${e.state}: ${e.message}`).join(' | ')}`);
         assert.equal(events[0].state, 'retrying');
         // The server closed DTLS: the publisher's transport is closed too.
         await waitUntil(async () => (await publisherStats(publisher)).transportState === 'closed',
                         { timeout: 10000, what: 'the publisher\'s DTLS transport to close' });
       }));
});
