// Recorded video in Chromium: the HLS VOD playlist of a recorded range (fMP4 files served by
// byte ranges, no remux) plays in hls.js, from a signed URL that needs no other credential.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openHlsJs, readState, waitForPlayback } from './lib/hlsjs.mjs';
import { enterLoopbackNamespace } from './lib/netns.mjs';
import { withDiagnostics } from './lib/player.mjs';
import { waitUntil } from './lib/server.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only

describe('recordings', () => {
  let server;
  let browser;
  let page;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({ demo: { record: 'continuous' }, recording: { segment_seconds: 10 } },
                   (made) => ({ server, browser } = made), { withPage: false });

  test('the HLS VOD playlist of a recorded range plays in hls.js', { timeout: kTimeout }, async (t) => diag(t, async () => {
    const token = await server.login();
    const api = async (p) => {
      const r = await fetch(server.http(`/api/v1${p}`), { headers: { Authorization: `Bearer ${token}` } });
      const text = await r.text();
      assert.equal(r.status, 200, `${p}: ${r.status} ${text}`);
      return JSON.parse(text);
    };
    // One complete 10 s segment and the start of the next: a range across a file boundary.
    const segment = await waitUntil(async () => {
      const { recordings } = await api('/recordings?camera=demo&kind=segment&limit=10');
      return recordings.find((r) => r.complete);
    }, { timeout: 60000, interval: 1000, what: 'a complete segment' });
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
});
