// Recorded video in Chromium: the HLS VOD playlist of a recorded range (fMP4 files served by
// byte ranges, no remux) plays in hls.js, from a signed URL that needs no other credential; and
// so does a recording that keeps a KLV track beside the video (a udp:// camera, STANAG 4609).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openHlsJs, readState, waitForPlayback } from './lib/hlsjs.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { withDiagnostics } from './lib/player.mjs';
import { ROOT, freeUdpPort, waitUntil, withParentDeathSignal } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only

// The KLV camera's source port, from the pool the server's own ports come from.
const kKlvPort = await freeUdpPort();

describe('recordings', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({
    demo: { record: 'continuous' },
    cameras: [{ id: 'drone', name: 'Drone', source: `udp://127.0.0.1:${kKlvPort}`, record: 'continuous' }],
    recording: { segment_seconds: 10 },
  }, (made) => ({ server, browser } = made), { withPage: false });

  const apiClient = async () => {
    const token = await server.login();
    return async (p) => {
      const r = await fetch(server.http(`/api/v1${p}`), { headers: { Authorization: `Bearer ${token}` } });
      const text = await r.text();
      assert.equal(r.status, 200, `${p}: ${r.status} ${text}`);
      return JSON.parse(text);
    };
  };
  const completeSegment = (api, camera) => waitUntil(async () => {
    const { recordings } = await api(`/recordings?camera=${camera}&kind=segment&limit=10`);
    return recordings.find((r) => r.complete);
  }, { timeout: 60000, interval: 1000, what: `a complete segment of '${camera}'` });

  test('the HLS VOD playlist of a recorded range plays in hls.js', { timeout: kTimeout }, async (t) => diag(t, async () => {
    const api = await apiClient();
    // One complete 10 s segment and the start of the next: a range across a file boundary.
    const segment = await completeSegment(api, 'demo');
    const from = segment.start_ms + 3000;
    const to = segment.end_ms + 2000;
    await waitUntil(async () => (await api('/recordings/timeline/demo?from=' + from + '&to=' + to)).gaps.length === 0,
                    { timeout: 30000, interval: 500, what: 'the range to be recorded' });
    const { url } = await api(`/recordings/playlist/demo?from=${from}&to=${to}&signed=1`);
    const src = new URL(url);
    page = await openHlsJs(browser, server, src.pathname + src.search, { lowLatency: false });
    const { start, end } = await waitForPlayback(page, 3);
    t.diagnostic(`VOD ${JSON.stringify(end.details)}; currentTime ${start.currentTime.toFixed(2)} → ` +
                 `${end.currentTime.toFixed(2)} s, frames ${start.frames} → ${end.frames}`);
    assert.equal(end.details.live, false, 'a VOD playlist is not live');
    assert.ok(end.frames - start.frames > 45, `only ${end.frames - start.frames} frames presented in 3 s`);
    assert.deepEqual([end.width, end.height], [640, 360]);
    const duration = await page.evaluate(() => document.getElementById('video').duration);
    // Whole HLS segments (~6 s runs of fragments from a keyframe) that overlap the range are listed.
    const range = (to - from) / 1000;
    assert.ok(duration >= range - 1 && duration <= range + 13, `media duration ${duration} s for a ${range} s range`);
    assert.ok(!(await readState(page)).errors.some((e) => e.fatal));
  }));

  // The recording's metadata track (hdlr 'meta', 'urim') is not in CODECS; hls.js and Chromium's
  // MSE must play the video beside it.
  test('a recording with a KLV track plays in hls.js', { timeout: kTimeout }, async (t) => diag(t, async () => {
    const ts = path.join(server.dir, 'klv.ts');
    const [cmd, args] = withParentDeathSignal(['/usr/bin/python3', path.join(ROOT, 'tests/e2e/lib/klv_ts.py'), ts,
                                               '--frames', '400', '--send', String(kKlvPort)]);
    const sender = spawn(cmd, args, { stdio: 'ignore' });
    try {
      const api = await apiClient();
      const segment = await completeSegment(api, 'drone');
      const from = segment.start_ms + 1000;
      const to = segment.end_ms - 1000;
      const { url } = await api(`/recordings/playlist/drone?from=${from}&to=${to}&signed=1`);
      const src = new URL(url);
      // The init segment the playlist names has the KLV track, and CODECS does not.
      const playlist = await (await fetch(server.http(src.pathname + src.search))).text();
      const map = playlist.match(/#EXT-X-MAP:URI="([^"]+)",BYTERANGE="(\d+)@0"/);
      assert.ok(map, `no EXT-X-MAP in ${playlist}`);
      const init = Buffer.from(await (await fetch(new URL(map[1], server.http(src.pathname)), {
        headers: { Range: `bytes=0-${Number(map[2]) - 1}` } })).arrayBuffer());
      assert.ok(init.includes('urim') && init.includes('nmhd'), 'the recording has no KLV track');
      assert.match(segment.codecs, /^avc1\.[0-9A-F]{6}$/i, 'CODECS names only the video');
      page = await openHlsJs(browser, server, src.pathname + src.search, { lowLatency: false });
      const { start, end } = await waitForPlayback(page, 3);
      t.diagnostic(`KLV recording: ${JSON.stringify(end.details)}; frames ${start.frames} → ${end.frames}`);
      assert.ok(end.frames - start.frames > 15, `only ${end.frames - start.frames} frames (10 fps) presented in 3 s`);
      assert.deepEqual([end.width, end.height], [160, 120]);
      assert.ok(!(await readState(page)).errors.some((e) => e.fatal));
    } finally {
      sender.kill('SIGKILL');
    }
  }));
});
