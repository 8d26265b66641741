// Runs the calling test file inside a fresh network namespace whose only interface is `lo`.
//
// Chromium offers WebRTC candidates on the machine's own interface addresses; inside a namespace
// with only loopback, the browser, the server and every packet between them stay on 127.0.0.1
// (LAB.md). The file re-executes itself under `unshare --net` (as root; an unprivileged user
// namespace otherwise) after `ip link set lo up`. Under `node --test` the child inherits the
// runner's reporting channel (stdout and NODE_TEST_CONTEXT), so its tests are reported as if
// run in place.
//
// Cleanup: the kernel removes the namespace with its last process. When the child has exited,
// whatever it left running in the namespace (a server or browser after a crash) is killed here,
// and its scratch folder (scratchDir()) is removed unless KEEP_TMP is set; the servers are also
// started with a parent-death signal (server.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const kMarker = 'OCELLUS_BROWSER_NETNS';

/** The folder for this file's temporary files (servers, browser profiles): removed at the end. */
export function scratchDir() {
  return process.env.OCELLUS_BROWSER_TMP || os.tmpdir();
}

/** True when this process runs in the namespace made by enterLoopbackNamespace. */
export function inLoopbackNamespace() {
  return process.env[kMarker] === '1';
}

const netnsOf = (pid) => {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return null;
  }
};

function killNamespace(ns) {
  for (const entry of fs.readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && Number(entry) !== process.pid && netnsOf(entry) === ns) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}

/**
 * `await` it at the top level of a test file, before any test() call: in the original process it
 * runs the same file again inside the namespace and exits with the child's status (the promise
 * never settles there); in the child it resolves at once.
 */
export function enterLoopbackNamespace() {
  if (inLoopbackNamespace()) return Promise.resolve();
  const unshare = process.getuid?.() === 0 ? ['--net'] : ['--user', '--map-root-user', '--net'];
  const script = 'ip link set lo up && exec "$0" "$@"';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ocellus-browser-run-'));
  const child = spawn('unshare', [...unshare, '--', 'sh', '-c', script, process.execPath, ...process.execArgv,
                                  ...process.argv.slice(1)],
                      { stdio: 'inherit', env: { ...process.env, [kMarker]: '1', OCELLUS_BROWSER_TMP: scratch } });
  const ours = netnsOf(process.pid);
  let ns = null;
  const watch = setInterval(() => {
    const current = netnsOf(child.pid);
    if (current && current !== ours) {
      ns = current;
      clearInterval(watch);
    }
  }, 20);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`cannot enter a network namespace (unshare): ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    if (ns) killNamespace(ns);
    if (!process.env.KEEP_TMP) fs.rmSync(scratch, { recursive: true, force: true });
    process.exit(code ?? (signal ? 1 : 0));
  });
  return new Promise(() => {});
}
