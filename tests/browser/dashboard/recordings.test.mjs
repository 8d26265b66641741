// The recordings page and the camera controls in Chromium against a real ocellus with the demo
// camera: a snapshot downloads a JPEG; record start/stop shows the elapsed time and the new file
// in the list and on the timeline; a click on the recorded range plays it (hls.js, VOD), zoomed
// scrubbing too; a dragged selection exports an MP4; keep persists; delete removes the row; the
// RTMP URL copies and rotates. Screenshots of each state; no console errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { assertNoConsoleErrors, consoleErrors, screenshots, signIn } from '../lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../lib/netns.mjs';
import { withDiagnostics } from '../lib/player.mjs';
import { waitUntil } from '../lib/server.mjs';
import { serverAndBrowser } from '../lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 90000; // per test: a hang guard only

/** The page's <video>: media time and frames decoded so far. */
const playback = (page) => page.evaluate(() => {
  const v = document.querySelector('.recording-player video');
  return { time: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames, rate: v.playbackRate, paused: v.paused };
});

/** Waits until the video has moved `seconds` of media and `frames` decoded frames past `from`. */
async function waitForProgress(page, from, { seconds = 1, frames = 20 } = {}) {
  await page.waitForFunction(({ from, seconds, frames }) => {
    const v = document.querySelector('.recording-player video');
    return v && v.currentTime >= from.time + seconds && v.getVideoPlaybackQuality().totalVideoFrames >= from.frames + frames;
  }, { from, seconds, frames }, { timeout: 30000, polling: 100 });
  return playback(page);
}

/** Where the first recorded interval is drawn, with the timeline scrolled into view. */
async function coveredBox(page) {
  await page.locator('.tl-track').scrollIntoViewIfNeeded();
  return page.locator('.tl-covered').first().boundingBox();
}

describe('recordings page and camera controls', () => {
  let server;
  let browser;
  let page;
  let errors;
  let token;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);
  const api = async (p, init = {}) => {
    const r = await fetch(server.http(`/api/v1${p}`), { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };

  serverAndBrowser({ recording: { fragment_ms: 500 } }, async (made) => {
    ({ server, browser, page } = made);
    errors = consoleErrors(page);
    token = await server.login();
    await signIn(page, server, { route: '/recordings' });
  });

  test('opens on the first camera and today, nothing recorded yet', { timeout: kTimeout }, async (t) => diag(t, async () => {
    await page.getByRole('heading', { level: 1, name: 'Recordings' }).waitFor();
    assert.equal(await page.getByLabel('Camera', { exact: true }).inputValue(), 'demo');
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    assert.equal(await page.getByLabel('Day', { exact: true }).inputValue(), today);
    await page.getByText('Nothing was recorded this day.').waitFor();
    assert.equal(await page.locator('.tl-covered').count(), 0);
    await page.getByRole('slider', { name: 'Timeline' }).waitFor();
    await screenshots(page, 'recordings-empty');
    assertNoConsoleErrors(errors);
  }));

  test('Snapshot shows the picture and downloads a JPEG', { timeout: kTimeout }, async (t) => diag(t, async () => {
    await page.getByRole('button', { name: 'Snapshot', exact: true }).click();
    const img = page.locator('.snapshot img');
    await img.waitFor();
    await page.waitForFunction(() => document.querySelector('.snapshot img')?.naturalWidth > 0, null, { timeout: 15000 });
    assert.equal(await img.evaluate((i) => i.naturalWidth), 640);
    await screenshots(page, 'recordings-snapshot');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
    assert.match(download.suggestedFilename(), /^demo-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.jpg$/);
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], 'a JPEG starts with SOI');
    await page.getByRole('button', { name: 'Close' }).click();
    assert.equal(await img.count(), 0);
    assertNoConsoleErrors(errors);
  }));

  test('record start and stop: the elapsed time runs, the file appears in the list and on the timeline', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         await page.getByRole('button', { name: 'Start recording' }).click();
         const elapsed = page.locator('.rec-indicator time');
         await elapsed.waitFor({ timeout: 15000 });
         await page.waitForFunction(() => document.querySelector('.rec-indicator time')?.textContent >= '00:04', null,
                                    { timeout: 20000 });
         await screenshots(page, 'recordings-recording');
         await page.getByRole('button', { name: 'Stop recording' }).click();
         await page.getByRole('button', { name: 'Start recording' }).waitFor();
         assert.equal(await page.locator('.rec-indicator').count(), 0);

         // The notification refreshes the list and the timeline by itself.
         await page.getByRole('button', { name: /^Play the recording from/ }).waitFor({ timeout: 15000 });
         await page.locator('.tl-covered').first().waitFor({ timeout: 15000 });
         const { body } = await api('/recordings?camera=demo');
         assert.equal(body.total, 1);
         const [rec] = body.recordings;
         assert.equal(rec.kind, 'session');
         assert.ok(rec.complete && rec.duration >= 3, `recorded ${rec.duration} s`);
         assertNoConsoleErrors(errors);
       }));

  test('a click on the recorded range plays it; zoomed scrubbing seeks; the speed applies', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const before = await playback(page);
         const covered = await coveredBox(page);
         // At day scale four seconds are a sliver: the click lands next to it and snaps to it.
         await page.mouse.click(covered.x + covered.width / 2, covered.y + covered.height / 2);
         const played = await waitForProgress(page, before);
         const slider = page.getByRole('slider', { name: 'Timeline' });
         assert.match(await slider.getAttribute('aria-valuetext'), /^\d\d:\d\d:\d\d$/);
         assert.equal(await page.locator('.tl-playhead').count(), 1);

         // Zoom in around the playhead until the recording is wide, then click its middle.
         for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
         const wide = await coveredBox(page);
         assert.ok(wide.width > 40, `the recording is ${wide.width} px wide zoomed in`);
         const [rec] = (await api('/recordings?camera=demo')).body.recordings;
         await page.mouse.click(wide.x + wide.width / 2, wide.y + wide.height / 2);
         const middle = (rec.start_ms + rec.end_ms) / 2;
         const at = Number(await slider.getAttribute('aria-valuenow'));
         assert.ok(Math.abs(at - middle) < 1500, `the playhead went to ${at - rec.start_ms} ms into the recording, not the middle`);
         await waitForProgress(page, await playback(page), { seconds: 0.2, frames: 5 });
         assert.doesNotMatch(await page.locator('.recordings').textContent(), /Nothing recorded at/);

         await page.getByLabel('Speed').selectOption('2');
         await page.mouse.click(wide.x + 2, wide.y + wide.height / 2);
         await waitForProgress(page, await playback(page), { seconds: 0.5, frames: 10 });
         assert.equal((await playback(page)).rate, 2);

         // Keyboard: Home goes to the window's start, nothing there. At day scale, where the
         // window starts at midnight: zoomed in, the window keeps the playhead where it was on the
         // bar, so shortly after midnight its start falls inside the recording.
         await page.getByRole('button', { name: 'Whole day' }).click();
         await slider.focus();
         await page.keyboard.press('Home');
         await page.getByText(/Nothing recorded at/).waitFor();
         t.diagnostic(`played ${played.time.toFixed(2)} s, ${played.frames} frames`);
         await screenshots(page, 'recordings-playing');
         assertNoConsoleErrors(errors);
       }));

  test('a dragged selection exports an MP4', { timeout: kTimeout }, async (t) => diag(t, async () => {
    const box = await coveredBox(page);
    const track = await page.locator('.tl-track').boundingBox();
    const y = box.y + box.height / 2;
    // From just before the recording, on the bar even when the recording starts near its edge.
    await page.mouse.move(Math.max(track.x + 1, box.x - 10), y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, y, { steps: 4 });
    await page.mouse.move(box.x + box.width + 10, y, { steps: 4 });
    await page.mouse.up();
    await page.getByText(/^Selected \d\d:\d\d:\d\d–\d\d:\d\d:\d\d/).waitFor();
    await screenshots(page, 'recordings-selection');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }),
                                          page.getByRole('button', { name: 'Export MP4' }).click()]);
    assert.match(download.suggestedFilename(), /^demo-.*\.mp4$/);
    const bytes = fs.readFileSync(await download.path());
    assert.ok(bytes.length > 10000, `an MP4 of ${bytes.length} bytes`);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
    assertNoConsoleErrors(errors);
  }));

  test('keep persists; delete removes the row', { timeout: kTimeout }, async (t) => diag(t, async () => {
    const { body } = await api('/recordings?camera=demo');
    const id = body.recordings[0].id;
    const keep = page.getByRole('checkbox', { name: /^Keep the recording from/ });
    assert.equal(await keep.isChecked(), false);
    await keep.check();
    await waitUntil(async () => (await api(`/recordings/${id}`)).body.keep === true, { what: 'keep saved' });
    await page.reload();
    await page.getByRole('checkbox', { name: /^Keep the recording from/ }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /^Keep the recording from/ }).isChecked(), true);

    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); void d.accept(); });
    await page.getByRole('button', { name: /^Delete the recording from/ }).click();
    await page.getByText('Nothing was recorded this day.').waitFor({ timeout: 15000 });
    assert.match(asked, /cannot be undone/);
    assert.equal((await api(`/recordings/${id}`)).status, 404);
    await page.locator('.tl-covered').first().waitFor({ state: 'detached', timeout: 15000 });
    assertNoConsoleErrors(errors);
  }));

  test('RTMP URL of a camera that publishes: shown hidden, copied, rotated after a confirm', { timeout: kTimeout },
       async (t) => diag(t, async () => {
    // The demo camera comes from ocellus.yml and has no stream key: no RTMP button for it.
    assert.equal(await page.getByRole('button', { name: 'RTMP URL' }).count(), 0);
    const created = await api('/cameras', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                            body: JSON.stringify({ id: 'pushcam', name: 'Push camera', source: 'publisher' }) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.goto(server.http('/#/recordings?camera=pushcam'));
    await page.reload(); // the camera list is read when the page opens
    await page.getByRole('button', { name: 'RTMP URL' }).click();
    assert.equal(await page.getByLabel('Camera', { exact: true }).inputValue(), 'pushcam');
    const key = page.getByRole('textbox', { name: 'Stream key', exact: true });
    await key.waitFor();
    assert.equal(await key.getAttribute('type'), 'password');
    const before = await key.inputValue();
    const { body } = await api('/cameras/pushcam/rtmp-url');
    assert.equal(before, body.stream_key);
    assert.match(await page.getByRole('textbox', { name: 'RTMP URL', exact: true }).inputValue(), /^rtmp:\/\/.*\/live\//);

    await page.getByRole('button', { name: 'Copy stream key' }).click();
    await page.getByText('Stream key copied').waitFor();
    await screenshots(page, 'recordings-rtmp');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByText('New stream key made').waitFor();
    const after = await key.inputValue();
    assert.notEqual(after, before);
    assert.equal((await api('/cameras/pushcam/rtmp-url')).body.stream_key, after);
    assertNoConsoleErrors(errors);
  }));

  test('a viewer sees the recordings and Snapshot, but no recording, keep, delete or RTMP controls', { timeout: kTimeout },
       async (t) => {
    const json = { 'Content-Type': 'application/json' };
    const made = await api('/users', { method: 'POST', headers: json,
                                       body: JSON.stringify({ username: 'vera', password: 'viewer-pass-1234', role: 'viewer' }) });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((await api('/cameras/demo/recording/start', { method: 'POST', headers: json, body: '{}' })).status, 201);
    await waitUntil(async () => (await api('/recordings?camera=demo')).body.total > 0, { what: 'the session file' });
    assert.equal((await api('/cameras/demo/recording/stop', { method: 'POST' })).status, 200);

    const tab = await browser.newPage(); // its own sessionStorage: signed in as the viewer alone
    const tabErrors = consoleErrors(tab);
    try {
      await withDiagnostics(t, { server, browser, page: tab }, async () => {
        await signIn(tab, server, { route: '/recordings', username: 'vera', password: 'viewer-pass-1234' });
        const keep = tab.getByRole('checkbox', { name: /^Keep the recording from/ });
        await keep.waitFor();
        assert.ok(await keep.isDisabled());
        await tab.getByRole('button', { name: 'Snapshot', exact: true }).waitFor();
        for (const name of ['Start recording', 'Stop recording', 'RTMP URL']) {
          assert.equal(await tab.getByRole('button', { name }).count(), 0, `a viewer sees ${name}`);
        }
        assert.equal(await tab.getByRole('button', { name: /^Delete the recording/ }).count(), 0);
        await tab.getByRole('button', { name: /^Play the recording from/ }).waitFor();
        await screenshots(tab, 'recordings-viewer');
        assertNoConsoleErrors(tabErrors);
      });
    } finally {
      await tab.close();
    }
  });
});
