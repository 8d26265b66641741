// What the browser tests do with the player page: open it, read WebRTC statistics straight from
// its RTCPeerConnection (independently of the page's own stats.js), measure glass-to-glass
// latency from the timestamp band, and explain a failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.resolve(here, '..', 'artifacts');

/** Opens /{stream}/ (query e.g. '?token=…') and waits for the page's module to have run. */
export async function openPlayer(page, server, { stream = 'demo', query = '' } = {}) {
  await recordStatus(page);
  await page.goto(server.http(`/${stream}/${query}`));
  await page.waitForFunction(() => window.ocellusPlayer?.player, null, { timeout: 15000 });
}

// Every `status` event of the page's WhepPlayer lands in window.statusLog ({state, message,
// status, delayMs, at}), from the first one on (installed before the page's scripts run).
async function recordStatus(page) {
  await page.addInitScript(() => {
    window.statusLog = [];
    let player = null;
    Object.defineProperty(window, 'ocellusPlayer', {
      configurable: true,
      get: () => player,
      set: (value) => {
        player = value;
        value.player.addEventListener('status', ({ detail }) => {
          window.statusLog.push({ state: detail.state, message: detail.message, status: detail.status ?? null,
                                  delayMs: detail.delayMs ?? null, at: performance.now() });
        });
      },
    });
  });
}

// The page's inbound-rtp of `kind` and its codec's mimeType and fmtp line, or null.
async function inboundStats(page, kind) {
  return page.evaluate(async (kind) => {
    const pc = window.ocellusPlayer?.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    let inbound = null;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === kind) inbound = s;
    });
    if (!inbound) return null;
    const codec = inbound.codecId ? report.get(inbound.codecId) : null;
    return { ...inbound, mimeType: codec?.mimeType ?? null, fmtp: codec?.sdpFmtpLine ?? null };
  }, kind);
}

/** The page's video inbound-rtp and its codec, read by the test itself: {framesDecoded, codec, ...} or null. */
export async function videoStats(page) {
  const video = await inboundStats(page, 'video');
  return video && { framesDecoded: video.framesDecoded ?? 0, frameWidth: video.frameWidth, frameHeight: video.frameHeight,
                    packetsLost: video.packetsLost, mimeType: video.mimeType, fmtp: video.fmtp, timestamp: video.timestamp,
                    // How the browser coped with loss (loss.test.mjs).
                    packetsReceived: video.packetsReceived, nackCount: video.nackCount, pliCount: video.pliCount,
                    freezeCount: video.freezeCount, totalFreezesDuration: video.totalFreezesDuration };
}

/** The page's audio inbound-rtp: {packetsReceived, packetsLost, mimeType} or null. */
export async function audioStats(page) {
  const audio = await inboundStats(page, 'audio');
  return audio && { packetsReceived: audio.packetsReceived ?? 0, packetsLost: audio.packetsLost, mimeType: audio.mimeType };
}

/**
 * Waits for the first decoded frame of the current connection, then counts the frames decoded
 * in the `windowMs` after it (polling getStats; a report past the window does not count).
 * Returns {frames, firstFrames, elapsedMs}.
 */
export async function framesAfterFirst(page, windowMs = 3000, { timeout = 30000 } = {}) {
  return page.evaluate(async ({ windowMs, timeout }) => {
    const deadline = performance.now() + timeout;
    const read = async () => {
      const report = await window.ocellusPlayer.pc?.getStats();
      let frames = null;
      report?.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') frames = { n: s.framesDecoded ?? 0, at: s.timestamp };
      });
      return frames;
    };
    let first = null;
    while (!first) {
      if (performance.now() > deadline) throw new Error('no frame decoded');
      const f = await read();
      if (f && f.n > 0) first = f;
      else await new Promise((r) => setTimeout(r, 20));
    }
    let last = first;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const f = await read();
      if (!f || f.at - first.at > windowMs) break;
      last = f;
    }
    return { frames: last.n, firstFrames: first.n, elapsedMs: last.at - first.at };
  }, { windowMs, timeout });
}

/** Waits until the page's current connection has decoded more than `count` frames; returns videoStats. */
export async function waitForFrames(page, count, { timeout = 30000 } = {}) {
  // Polled from here: page.waitForFunction takes a returned Promise for a truthy value.
  return waitUntil(async () => {
    const stats = await videoStats(page);
    return stats && stats.framesDecoded > count ? stats : null;
  }, { timeout, interval: 100, what: `more than ${count} decoded frames` });
}

/** Loads lib/timestamp.mjs into the page as window.timestampBand (the decoder the probe uses). */
async function installDecoder(page) {
  const source = fs.readFileSync(path.join(here, 'timestamp.mjs'), 'utf8');
  await page.addScriptTag({
    type: 'module',
    content: `${source}\nwindow.timestampBand = { decodeLuma, lumaOfRgba };`,
  });
  await page.waitForFunction(() => window.timestampBand, null, { timeout: 10000 });
}

/**
 * Glass-to-glass latency of `frames` displayed frames: in requestVideoFrameCallback, draws the
 * bottom of the frame to a canvas, decodes the band (the wall clock when the demo drew it) and
 * subtracts it from Date.now() (same machine, same clock). Returns {samples: [ms], received:
 * [ms from drawing to the arrival of the frame's last packet], failures, callbacks, width, height}.
 * `video`: a CSS selector of the <video> to read on another page than the player page.
 */
export async function measureLatency(page, frames = 30, { timeout = 30000, video: selector = null } = {}) {
  await installDecoder(page);
  return page.evaluate(({ frames, timeout, selector }) => new Promise((resolve, reject) => {
    const { decodeLuma, lumaOfRgba } = window.timestampBand;
    const video = selector ? document.querySelector(selector) : window.ocellusPlayer.video;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const samples = [];
    let failures = 0;
    let callbacks = 0;
    const deadline = performance.now() + timeout;
    const received = [];
    const onFrame = (now, metadata) => {
      const displayed = Date.now();
      callbacks += 1;
      const width = video.videoWidth;
      const height = video.videoHeight;
      const zone = Math.floor(height / 20); // the decoder reads only these bottom rows
      if (width && zone) {
        canvas.width = width;
        canvas.height = zone;
        context.drawImage(video, 0, height - zone, width, zone, 0, 0, width, zone);
        const luma = lumaOfRgba(context.getImageData(0, 0, width, zone).data, width);
        const ms = decodeLuma((x, y) => luma(x, y - (height - zone)), width, height);
        if (ms === null) failures += 1;
        else {
          samples.push(displayed - ms);
          // WebRTC frames also say when their last packet arrived (performance clock).
          if (metadata.receiveTime) received.push(Math.round(performance.timeOrigin + metadata.receiveTime - ms));
        }
      }
      if (samples.length >= frames) resolve({ samples, received, failures, callbacks, width, height });
      else if (performance.now() > deadline) {
        reject(new Error(`only ${samples.length} of ${frames} frames decoded (${failures} failures, ${callbacks} callbacks)`));
      } else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }), { frames, timeout, selector });
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Runs `fn`; when it throws, adds what explains the failure to the error: the page's status log,
 * the browser's console, the server's log tail, and a screenshot in tests/browser/artifacts/.
 */
export async function withDiagnostics(t, { server, browser, page }, fn) {
  try {
    return await fn();
  } catch (error) {
    const parts = [];
    try {
      if (page && !page.isClosed()) {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const file = path.join(ARTIFACTS, `${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
        await page.screenshot({ path: file, timeout: 5000 });
        parts.push(`screenshot: ${file}`);
        parts.push(`status log: ${JSON.stringify(await page.evaluate(() => window.statusLog), null, 0)}`);
        parts.push(`page stats: ${JSON.stringify(await page.evaluate(() => window.ocellusPlayer?.stats))}`);
      }
    } catch (e) {
      parts.push(`(no screenshot: ${e.message})`);
    }
    if (browser) parts.push(`browser log:\n${browser.logText().slice(-3000)}`);
    for (const s of [server].flat().filter(Boolean)) parts.push(`server log (${s.logPath}):\n${s.logTail(3000)}`);
    error.message += `\n--- diagnostics ---\n${parts.join('\n')}`;
    throw error;
  }
}
