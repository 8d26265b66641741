// Glass-to-glass latency of HLS in hls.js (headless Chromium), read from the timestamp band
// (docs/timestamp.md) of the frames the <video> presents; one JSON line per stream on stdout.
//   node bench/hls_glass.mjs --seconds 20 NAME=ll:http://127.0.0.1:8080/demo/index.m3u8 \
//                                          NAME2=plain:http://127.0.0.1:8081/hls/g2g.m3u8
// `ll` plays with hls.js lowLatencyMode on, `plain` with it off. Uses tests/browser's libraries
// (its node_modules: playwright-core, hls.js): the page is the one hls.test.mjs plays, answered by
// the browser itself on the stream's own origin, so any HTTP server will do.
import { Browser } from '../tests/browser/lib/browser.mjs';
import { openHlsJs, readState, waitForPlayback } from '../tests/browser/lib/hlsjs.mjs';
import { measureLatency, percentile } from '../tests/browser/lib/player.mjs';

const args = process.argv.slice(2);
let seconds = 20;
const streams = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--seconds') seconds = Number(args[++i]);
  else {
    const m = /^([^=]+)=(ll|plain):(http:\/\/[^/]+)(\/.*)$/.exec(args[i]);
    if (!m) throw new Error(`not NAME=ll|plain:URL: ${args[i]}`);
    streams.push({ name: m[1], lowLatency: m[2] === 'll', origin: m[3], path: m[4] });
  }
}

const browser = await Browser.launch();
try {
  for (const s of streams) {
    const line = { name: s.name, url: s.origin + s.path, lowLatency: s.lowLatency };
    let tab = null;
    try {
      tab = await openHlsJs(browser, { http: (p) => s.origin + p }, s.path, { lowLatency: s.lowLatency });
      await waitForPlayback(tab, 3);
      await new Promise((r) => setTimeout(r, 2000)); // settle at hls.js's live sync position
      const samples = [];
      let failures = 0;
      let callbacks = 0;
      const start = Date.now();
      while (Date.now() - start < seconds * 1000) {
        const r = await measureLatency(tab, 30, { video: '#video', timeout: 15000 });
        samples.push(...r.samples);
        failures += r.failures;
        callbacks += r.callbacks;
      }
      const state = await readState(tab);
      Object.assign(line, {
        n: samples.length, median: percentile(samples, 50), p95: percentile(samples, 95),
        min: Math.min(...samples), max: Math.max(...samples), failures, callbacks,
        hlsLatency: state.hlsLatency, details: state.details,
        fatal: state.errors.filter((e) => e.fatal).length, errors: state.errors.length,
      });
    } catch (e) {
      line.error = String(e);
    } finally {
      await tab?.close();
    }
    console.log(JSON.stringify(line));
  }
} finally {
  await browser.close();
}
