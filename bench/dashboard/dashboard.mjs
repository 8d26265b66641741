// The dashboard's budgets (issue 7), measured in Debian's Chromium against a real ocellus on
// loopback: initial JavaScript gzipped, time to a usable page, and the page's main-thread load
// with 16 tiles streaming. Prints one markdown table; bench/README.md explains every row.
//
//   OCELLUS_BIN=build/release/ocellus node bench/dashboard/dashboard.mjs [--runs 5] [--grid-runs 3]
//       [--window 10] [--tiles 16]
//
// Needs root (or user namespaces) and tests/browser's node_modules (npm ci there): it reuses the
// browser tests' server, browser and namespace helpers. OCELLUS_WEB_DIR=web/dist makes the
// browser answer / and /assets/* from a `npm run build` output instead of the server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { Browser, CHROMIUM, WEB_DIR } from '../../tests/browser/lib/browser.mjs';
import { pageShown, signIn } from '../../tests/browser/lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../../tests/browser/lib/netns.mjs';
import { BIN, Server, waitUntil } from '../../tests/browser/lib/server.mjs';

const { values: opts } = parseArgs({ options: {
  runs: { type: 'string', default: '5' }, // fresh browsers for the JavaScript and timing rows
  'grid-runs': { type: 'string', default: '3' }, // fresh browsers for the streaming row
  window: { type: 'string', default: '10' }, // seconds of main-thread measurement per grid run
  tiles: { type: 'string', default: '16' },
} });
const kRuns = Number(opts.runs);
const kGridRuns = Number(opts['grid-runs']);
const kWindow = Number(opts.window);
const kTiles = Number(opts.tiles);
const kGridViewport = { width: 1920, height: 1080 };
const kBudget = { jsKB: 200, usableMs: 1000, busyPct: 50 };
const notes = []; // printed under the table

await enterLoopbackNamespace();

const kTick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Installed before the dashboard's own scripts, with pageShown (lib/dashboard.mjs) as `shown`:
// performance.now() (ms since navigation start) when the login form is usable (both inputs there
// and enabled), when the form was submitted, and the first frame after the signed-in page is
// shown. A MutationObserver sees each DOM change as it is committed, so no polling interval is
// added to the figures.
function installProbe(shown) {
  const marks = window.benchMarks = { formReady: null, submitted: null, rendered: null };
  const check = () => {
    if (marks.formReady === null) {
      const inputs = [...document.querySelectorAll('input[name=username], input[name=password]')];
      if (inputs.length === 2 && inputs.every((i) => !i.disabled)) marks.formReady = performance.now();
    }
    if (marks.submitted !== null && marks.rendered === null && document.querySelector('header.topbar') && shown()) {
      marks.rendered = -1;
      requestAnimationFrame(() => { marks.rendered = performance.now(); });
    }
  };
  document.addEventListener('submit', () => { marks.submitted = performance.now(); }, true);
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
}

/** One cold visit: login page, sign in, live page. Scripts (gzip -9 each) and the two durations. */
async function visit(server) {
  const browser = await Browser.launch();
  try {
    const page = await browser.newPage();
    await page.addInitScript({ content: `(${installProbe})(${pageShown});` });
    const scripts = new Map(); // url → Promise<body>, the scripts loaded until the live page rendered
    let collecting = true;
    page.on('response', (r) => {
      if (collecting && r.request().resourceType() === 'script' && !scripts.has(r.url())) scripts.set(r.url(), r.body());
    });
    await signIn(page, server);
    await page.waitForFunction(() => window.benchMarks.rendered > 0, null, { timeout: 20000 });
    collecting = false;
    const marks = await page.evaluate(() => window.benchMarks);
    const loginMs = await page.evaluate(() => {
      const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/api/v1/auth/login'));
      return e ? e.responseEnd - e.startTime : NaN;
    });
    const bodies = await Promise.all(scripts.values());
    return {
      scripts: bodies.length,
      rawKB: bodies.reduce((n, b) => n + b.length, 0) / 1024,
      gzipKB: bodies.reduce((n, b) => n + zlib.gzipSync(b, { level: 9 }).length, 0) / 1024,
      formReadyMs: marks.formReady,
      signInMs: marks.rendered - marks.submitted,
      loginMs,
    };
  } finally {
    await browser.close();
  }
}

async function api(server, token, method, path, body) {
  const r = await fetch(server.http(`/api/v1${path}`), {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** kTiles cameras pulling the demo over RTSP, first in the admin's grid of kTiles tiles; waits until they are online. */
async function createGridCameras(server) {
  const token = await server.login();
  const ids = Array.from({ length: kTiles }, (_, i) => `bench${i + 1}`);
  for (const [i, id] of ids.entries()) {
    await api(server, token, 'POST', '/cameras', { id, name: `Bench ${i + 1}`, record: 'off',
                                                   source: `rtsp://127.0.0.1:${server.rtspPort}/demo` });
  }
  try {
    await api(server, token, 'PUT', '/users/me/preferences', { live: { layout: kTiles, order: ids } });
  } catch (e) {
    notes.push(`The grid's layout could not be saved, so the live page chose its own: ${e.message.slice(0, 200)}`);
  }
  await waitUntil(async () => {
    const { cameras } = await api(server, token, 'GET', '/cameras');
    return cameras.filter((c) => ids.includes(c.id) && c.stream_status === 'online').length === ids.length;
  }, { timeout: 30000, interval: 250, what: `${kTiles} cameras online` });
}

// Videos whose picture moves: playing, with data, currentTime advanced over `ms`. Read from the
// elements alone, so measuring adds nothing to the page's own work.
async function playingVideos(page, ms = 1000) {
  const times = () => page.evaluate(() => [...document.querySelectorAll('video')]
    .map((v) => (!v.paused && v.readyState >= 2 && v.videoWidth > 0 ? v.currentTime : null)));
  const before = await times();
  await new Promise((r) => setTimeout(r, ms));
  const after = await times();
  return after.filter((t, i) => t !== null && before[i] !== null && t > before[i]).length;
}

// CPU seconds (utime + stime) of this process's descendants, split into the server's process
// and everything else (Chromium's processes), and the whole machine's busy seconds.
function cpuNow(serverPid) {
  const procs = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // proc(5): state is f[0], ppid f[1], utime f[11]
      procs.set(Number(entry), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / kTick });
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid, root) => {
    for (let p = pid; p > 1; p = procs.get(p)?.ppid ?? 0) if (p === root) return true;
    return false;
  };
  let server = 0;
  let browser = 0;
  for (const [pid, { cpu }] of procs) {
    if (under(pid, serverPid)) server += cpu;
    else if (pid !== process.pid && under(pid, process.pid)) browser += cpu;
  }
  const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { server, browser, machineBusy: (total - ticks[3] - ticks[4]) / kTick };
}

/** One grid run: sign in on a fresh browser, wait for every tile to play, measure kWindow seconds. */
async function gridRun(server) {
  const browser = await Browser.launch({ viewport: kGridViewport });
  try {
    const page = await browser.newPage();
    await signIn(page, server);
    let playing = 0;
    try {
      await waitUntil(async () => (playing = await playingVideos(page)) >= kTiles,
                      { timeout: 60000, interval: 0, what: `${kTiles} tiles playing` });
    } catch {
      // measured anyway, and reported with the number of tiles that played
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const m0 = await metrics();
    const c0 = cpuNow(server.proc.pid);
    await new Promise((r) => setTimeout(r, kWindow * 1000));
    const m1 = await metrics();
    const c1 = cpuNow(server.proc.pid);
    const wall = m1.Timestamp - m0.Timestamp;
    const share = (name) => (100 * (m1[name] - m0[name])) / wall;
    return {
      playingBefore: playing, playingAfter: await playingVideos(page),
      busyPct: share('TaskDuration'), scriptPct: share('ScriptDuration'),
      layoutPct: share('LayoutDuration') + share('RecalcStyleDuration'),
      browserCpu: (100 * (c1.browser - c0.browser)) / wall, serverCpu: (100 * (c1.server - c0.server)) / wall,
      machineCpu: (100 * (c1.machineBusy - c0.machineBusy)) / wall,
    };
  } finally {
    await browser.close();
  }
}

const fmt = (xs, digits, unit = '') => {
  const m = median(xs).toFixed(digits);
  return xs.length > 1 ? `${m}${unit} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})` : `${m}${unit}`;
};
const verdict = (value, budget) => (value < budget ? 'pass' : '**fail**');

async function main() {
  const server = await Server.create({ log: { level: 'warn' } });
  const served = WEB_DIR ? `${WEB_DIR} (OCELLUS_WEB_DIR: the browser answers / and /assets/* itself)` : `${BIN} (embedded)`;
  try {
    await server.start();
    if (!WEB_DIR) {
      const r = await fetch(server.http('/'));
      const html = await r.text();
      if (r.status !== 200 || !html.includes('<script')) {
        console.log(`not run: ${BIN} does not serve the dashboard at / (${r.status}); build web/ and set OCELLUS_WEB_DIR=web/dist`);
        process.exitCode = 1;
        return;
      }
    }
    const visits = [];
    for (let i = 0; i < kRuns; i++) {
      visits.push(await visit(server));
      console.error(`  visit ${i + 1}: ${JSON.stringify(visits.at(-1))}`);
    }
    console.log(`Dashboard budgets (issue 7): ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}, headless, software rendering, `
                + `on loopback; dashboard from ${served}; ${kRuns} cold visits, ${kGridRuns} grid runs of ${kWindow} s `
                + `at ${kGridViewport.width}x${kGridViewport.height}, ${os.cpus().length} cores`);
    await createGridCameras(server);
    const grids = [];
    for (let i = 0; i < kGridRuns; i++) {
      grids.push(await gridRun(server));
      console.error(`  grid run ${i + 1}: ${JSON.stringify(grids.at(-1))}`);
    }

    const v = (k) => visits.map((x) => x[k]);
    const g = (k) => grids.map((x) => x[k]);
    const fewestPlaying = Math.min(...g('playingBefore'), ...g('playingAfter'));
    const gridValid = fewestPlaying >= kTiles;
    const rows = [
      ['initial JavaScript, gzip -9 (login page, then the live page after sign-in)',
       `${fmt(v('gzipKB'), 1, ' KB')} in ${median(v('scripts'))} scripts, ${median(v('rawKB')).toFixed(1)} KB raw`,
       `< ${kBudget.jsKB} KB`, verdict(median(v('gzipKB')), kBudget.jsKB)],
      ['navigation start → login form usable', fmt(v('formReadyMs'), 0, ' ms'), `< ${kBudget.usableMs} ms`,
       verdict(median(v('formReadyMs')), kBudget.usableMs)],
      ['sign-in submit → live page rendered', fmt(v('signInMs'), 0, ' ms'), `< ${kBudget.usableMs} ms`,
       verdict(median(v('signInMs')), kBudget.usableMs)],
      ['… of which `POST /api/v1/auth/login` (request start → response end)', fmt(v('loginMs'), 0, ' ms'), '', ''],
      [`${kTiles} tiles streaming: page main thread busy (TaskDuration / wall time, ${kWindow} s)`,
       `${fmt(g('busyPct'), 1, ' %')}; tiles playing: ${fewestPlaying} of ${kTiles} (fewest, before and after the window)`,
       `< ${kBudget.busyPct} %`,
       gridValid ? verdict(median(g('busyPct')), kBudget.busyPct) : `not measured: ${fewestPlaying} of ${kTiles} tiles played`],
      ['… of which script / style and layout', `${fmt(g('scriptPct'), 1, ' %')} / ${fmt(g('layoutPct'), 1, ' %')}`, '', ''],
      ['… Chromium, all processes: CPU % of one core', fmt(g('browserCpu'), 0, ' %'), '', ''],
      [`… ocellus (demo encoder, ${kTiles} RTSP pulls, WebRTC out): CPU % of one core`, fmt(g('serverCpu'), 0, ' %'), '', ''],
      [`… whole machine CPU % (of ${100 * os.cpus().length})`, fmt(g('machineCpu'), 0, ' %'), '', ''],
    ];
    console.log();
    console.log('| measured | Ocellus (median, min–max) | budget | result |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log('\nNo peer: no other dashboard of this kind runs on this machine, so the table has no comparison column.');
    for (const note of notes) console.log(`\n${note}`);
    if (WEB_DIR) console.log('\nThe dashboard was answered by the browser from OCELLUS_WEB_DIR, not served by ocellus: every request went through Playwright\'s route handler.');
  } finally {
    await server.dispose();
  }
}

await main();
