// One real `ocellus` for a browser test: free 127.0.0.1 ports, a temporary folder, the demo
// camera on. Mirrors tests/e2e/conftest.py (same config keys, OCELLUS_ADMIN_PASSWORD).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from './netns.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Absolute: the server runs in its temporary folder.
export const BIN = path.resolve(process.env.OCELLUS_BIN || path.join(ROOT, 'build/release/ocellus'));
export const ADMIN_PASSWORD = 'admin-pass-1234';

/** Polls `predicate` (sync or async) until it returns a truthy value; the timeout only guards against hangs. */
export async function waitUntil(predicate, { timeout = 20000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// [command, args]: `command` gets SIGKILL if this process dies first (util-linux setpriv), so a
// crashed test leaves no server running.
export function withParentDeathSignal(argv) {
  const setpriv = '/usr/bin/setpriv';
  return fs.existsSync(setpriv) ? [setpriv, ['--pdeathsig', 'KILL', '--', ...argv]] : [argv[0], argv.slice(1)];
}

// Ports this process has handed out: the kernel may offer a just-closed ephemeral port again,
// and two listeners of one server on one port make it refuse to start.
const given = new Set();

async function freeTcpPort() {
  for (;;) {
    const server = net.createServer();
    await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((r) => server.close(r));
    if (!given.has(port)) {
      given.add(port);
      return port;
    }
  }
}

export async function freeUdpPort(pair = false) {
  for (let i = 0; i < 200; i++) {
    const a = dgram.createSocket('udp4');
    await new Promise((resolve, reject) => a.once('error', reject).bind(0, '127.0.0.1', resolve));
    const port = a.address().port;
    if (given.has(port) || (pair && given.has(port + 1))) {
      a.close();
      continue;
    }
    if (!pair) {
      a.close();
      // WebRTC's ICE-TCP listens on the UDP port's number too.
      const t = net.createServer();
      const free = await new Promise((resolve) => {
        t.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true));
      });
      if (free) await new Promise((r) => t.close(r));
      if (!free) continue;
      given.add(port);
      return port;
    }
    if (port % 2 === 0 && port < 65535) {
      const b = dgram.createSocket('udp4');
      const ok = await new Promise((resolve) => {
        b.once('error', () => resolve(false));
        b.bind(port + 1, '127.0.0.1', () => resolve(true));
      });
      b.close();
      a.close();
      if (ok) {
        given.add(port).add(port + 1);
        return port;
      }
    } else {
      a.close();
    }
  }
  throw new Error('no free UDP port');
}

function merge(base, over) {
  for (const [key, value] of Object.entries(over || {})) {
    if (value && typeof value === 'object' && !Array.isArray(value) && base[key] && typeof base[key] === 'object') {
      Object.assign(base[key], value);
    } else {
      base[key] = value;
    }
  }
  return base;
}

export class Server {
  /** config: merged over the defaults below (JSON is YAML). Call start(). */
  static async create(config = {}, { env = {} } = {}) {
    const server = new Server();
    server.dir = fs.mkdtempSync(path.join(scratchDir(), 'ocellus-'));
    const rtp = await freeUdpPort(true);
    server.httpPort = await freeTcpPort();
    server.rtspPort = await freeTcpPort();
    server.webrtcPort = await freeUdpPort();
    server.config = merge({
      data_dir: path.join(server.dir, 'data'),
      log: { level: 'debug' },
      http: { address: `127.0.0.1:${server.httpPort}` },
      rtsp: { address: `127.0.0.1:${server.rtspPort}`, udp_rtp_address: `127.0.0.1:${rtp}`,
              udp_rtcp_address: `127.0.0.1:${rtp + 1}` },
      rtmp: { address: `127.0.0.1:${await freeTcpPort()}` },
      webrtc: { udp_address: `127.0.0.1:${server.webrtcPort}` },
      demo: { enabled: true, width: 640, height: 360, fps: 30, bitrate_kbps: 800 },
    }, config);
    server.env = { ...process.env, OCELLUS_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env };
    server.adminPassword = server.env.OCELLUS_ADMIN_PASSWORD;
    server.configPath = path.join(server.dir, 'ocellus.yml');
    server.logPath = path.join(server.dir, 'ocellus.log');
    server.proc = null;
    return server;
  }

  /** http('/demo/') → http://127.0.0.1:PORT/demo/ */
  http(p = '') {
    return `http://127.0.0.1:${this.httpPort}${p}`;
  }

  /**
   * Starts the process (again, on the same ports, after stop()) and waits until the API says
   * camera `readyCamera` (the demo) is online: the HTTP port is up and the camera has published.
   * Asked through the API, not a player page or a playlist, so that it works whatever the config
   * turns off (webrtc.enabled, hls.enabled) or protects (auth.anonymous_media).
   */
  async start({ readyCamera = 'demo' } = {}) {
    if (!fs.existsSync(BIN)) throw new Error(`no ocellus binary at ${BIN} (set OCELLUS_BIN)`);
    fs.writeFileSync(this.configPath, JSON.stringify(this.config, null, 2));
    const log = fs.openSync(this.logPath, 'a');
    this.proc = spawn(...withParentDeathSignal([BIN, '--config', this.configPath]),
                      { cwd: this.dir, env: this.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const proc = this.proc;
    proc.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    let exited = null;
    proc.exited.then((e) => { exited = e; });
    let token = null;
    await waitUntil(async () => {
      if (exited) throw new Error(`ocellus exited at start (${JSON.stringify(exited)}):\n${this.logTail()}`);
      try {
        token ??= await this.login();
        const r = await fetch(this.http(`/api/v1/cameras/${readyCamera}/status`),
                              { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2000) });
        return r.status === 200 && (await r.json()).stream_status === 'online';
      } catch {
        return false;
      }
    }, { timeout: 30000, what: `camera ${readyCamera} to be online` });
    return this;
  }

  /** SIGTERM; ocellus must exit by itself (with status 0) within a generous 10 s. */
  async stop() {
    const proc = this.proc;
    if (!proc) return;
    this.proc = null;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      if (proc.exitCode === 0) return;
      throw new Error(`ocellus had exited by itself (code ${proc.exitCode}, signal ${proc.signalCode})\n${this.logTail()}`);
    }
    proc.kill('SIGTERM');
    const timer = new Promise((r) => setTimeout(r, 10000, 'timeout'));
    const result = await Promise.race([proc.exited, timer]);
    if (result === 'timeout') {
      proc.kill('SIGKILL');
      await proc.exited;
      throw new Error(`ocellus did not stop on SIGTERM within 10 s\n${this.logTail()}`);
    }
    if (result.code !== 0) throw new Error(`ocellus exited with ${JSON.stringify(result)}\n${this.logTail()}`);
  }

  /** stop(), then removes the temporary folder (kept when KEEP_TMP is set, for a look after a failure). */
  async dispose() {
    try {
      await this.stop();
    } finally {
      if (!process.env.KEEP_TMP) fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  logTail(chars = 4000) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  }

  /** A JWT for `username` from POST /api/v1/auth/login. */
  async login(username = 'admin', password = this.adminPassword) {
    const r = await fetch(this.http('/api/v1/auth/login'), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
    });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${await r.text()}`);
    return (await r.json()).access_token;
  }
}
