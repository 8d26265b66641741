#!/usr/bin/python3
"""Low-Latency HLS under load, and HLS glass-to-glass in hls.js, Ocellus beside nginx-rtmp.

    /usr/bin/python3 bench/hls_fanout.py --build build/release [--clients 100,500,1000] [--window 15]
                                         [--repeat 1] [--glass-seconds 20] [--skip-load] [--skip-glass] [--no-skip] [--hints]
                                         [--client-threads 1] [--raw runs.jsonl]

1. Load (Ocellus only: nginx-rtmp has no LL-HLS). For every N and repeat a fresh Ocellus (log level
   warn, so 10,000 requests/s are not 10,000 log lines/s) gets the 600 kbit/s clip of rtmp_fanout.py
   published over RTMP at bench/stream; once its playlist answers, bench/hls_load runs N clients of
   /bench/stream/index.m3u8. Server and client CPU over the client's window, server RSS at its end.
   Like hls.js, the clients' blocking reloads ask for delta updates (_HLS_skip=YES) when the playlist
   advertises CAN-SKIP-UNTIL; --no-skip makes them fetch whole playlists. With --hints the clients behave
   like Apple's players instead: they GET the part the playlist hints at once (the server answers when
   it is complete) and then reload for it to learn the next hint. --client-threads spreads the clients
   over that many hls_load threads (a single thread serves 1000 clients' responses one after another).
2. Glass-to-glass (bench/hls_glass.mjs: hls.js in headless Chromium, the timestamp band). One Ocellus
   with the demo camera (640x360, 30 fps, 800 kbit/s, as tests/browser) and one nginx-rtmp with
   `hls on; hls_fragment 1s;` and an http server for it. ffmpeg re-publishes the demo (read over RTSP,
   -c copy) over RTMP to both, as bench/g2g, so both servers get the same frames over the same
   ingest; hls.js plays Ocellus's LL-HLS of that relay, Ocellus's LL-HLS of the demo itself (no
   relay), and nginx-rtmp's plain HLS. Prints markdown tables; columns: bench/README.md.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import (Proc, Window, baseline_clip, log_problems, ocellus_config, raise_nofile, rtmp_publisher,
                      run_client, wait_port)
from peers.nginx_rtmp import NginxRtmp

HERE = os.path.dirname(os.path.abspath(__file__))
KBPS = 600
TARGETS = ("1000 LL-HLS clients with p99 part delivery under 50 ms after the part is complete; "
           "LL-HLS glass-to-glass in hls.js under 1.5 s median")


def wait_http(url, proc, seconds=20, check=lambda body: True):
    """Until GET url answers 200 with a body `check` accepts (the first request starts Ocellus's packager)."""
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        if not proc.alive():
            raise RuntimeError(f"exited: {proc.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                body = r.read().decode(errors="replace")
                if r.status == 200 and check(body):
                    return body
                last = f"{r.status}"
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {seconds} s: {last}")


class Ocellus:
    def __init__(self, binary, work, demo="{enabled: false}", prefix="ocellus-hls-"):
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} not built")
        self.tmp = tempfile.mkdtemp(prefix=prefix, dir=work)
        config, self.ports = ocellus_config(self.tmp, "log: {level: warn}\n", demo=demo)
        self.server = Proc([os.path.abspath(binary), "--config", config], os.path.join(self.tmp, "server.log"),
                           cwd=self.tmp)
        self.procs = [self.server]
        try:
            wait_port(self.ports["http"], self.server)
        except RuntimeError:
            self.stop()
            raise

    def http(self, path):
        return f"http://127.0.0.1:{self.ports['http']}{path}"

    def rtmp(self, path):
        return f"rtmp://127.0.0.1:{self.ports['rtmp']}/{path}"

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def measure_load(binary, load_bin, source, n, a):
    srv = Ocellus(binary, a.work)
    try:
        pub = rtmp_publisher(source, srv.rtmp("bench/stream"), os.path.join(srv.tmp, "publisher.log"))
        srv.procs.append(pub)
        url = srv.http("/bench/stream/index.m3u8")
        wait_http(srv.http("/bench/stream/stream.m3u8"), srv.server, check=lambda b: "#EXT-X-PART:" in b)
        w = Window(srv.server.pid)
        r = run_client([load_bin, "--url", url, "--clients", str(n), "--duration", str(a.window),
                        "--rate", str(a.rate), "--skip", "no" if a.no_skip else "yes",
                        "--hints", "yes" if a.hints else "no", "--threads", str(a.client_threads)],
                       w.on_marker, name="hls_load")
        if not srv.server.alive():
            raise RuntimeError(f"the server exited: {srv.server.tail()}")
        if not w.opened:
            raise RuntimeError(f"no window: {r['errors']}")
        problems, quoted = log_problems(srv.server.log)
        return {"clients": n, **w.figures(), "log_problems": problems, "log_quoted": quoted, "raw": r}
    finally:
        srv.stop()


def load_row(n, runs, error):
    if not runs:
        return f"| {n} | not run: {error} |||||||||||"
    med = lambda k: statistics.median(x[k] for x in runs)  # noqa: E731
    rmed = lambda k, q: statistics.median(x["raw"][k][q] for x in runs)  # noqa: E731
    worst = lambda k: max(x["raw"][k] for x in runs)  # noqa: E731
    errors = max(sum(x["raw"]["errors"].values()) for x in runs)
    return (f"| {n} | {min(x['raw']['started'] for x in runs)} / {worst('failed')} / {errors} "
            f"| {min(x['raw']['active_at_end'] for x in runs)} "
            f"| {statistics.median(x['raw']['parts_per_s_per_client_median'] for x in runs):.2f} | {worst('skipped_parts')} "
            f"| {rmed('part_delay_ms', 'p50'):.1f} / {rmed('part_delay_ms', 'p99'):.1f} / {rmed('part_delay_ms', 'max'):.0f} "
            f"| {rmed('reload_delay_ms', 'p50'):.1f} / {rmed('reload_delay_ms', 'p99'):.1f} "
            f"| {rmed('part_fetch_ms', 'p50'):.1f} / {rmed('part_fetch_ms', 'p99'):.1f} "
            f"| {rmed('media_delay_ms', 'p50'):.1f} / {rmed('media_delay_ms', 'p99'):.1f} "
            f"| {med('cpu'):.1f} | {med('rss'):.1f} | {med('client_cpu'):.1f} | {med('machine_cpu'):.0f} |"
            + (f" (run {len(runs) + 1} failed: {error})" if error else ""))


def glass(binary, a):
    """One Ocellus with the demo, one nginx-rtmp with HLS, the demo relayed to both; hls_glass.mjs on three URLs."""
    node_modules = os.path.join(HERE, "..", "tests", "browser", "node_modules")
    if not os.path.isdir(os.path.join(node_modules, "playwright-core")):
        raise RuntimeError("tests/browser/node_modules missing: (cd tests/browser && npm ci)")
    srv = Ocellus(binary, a.work, demo="{enabled: true, width: 640, height: 360, fps: 30, bitrate_kbps: 800}",
                  prefix="ocellus-g2g-")
    peer, relays = None, []
    try:
        peer = NginxRtmp(a.work, app="bench", hls=True)
        demo_rtsp = f"rtsp://127.0.0.1:{srv.ports['rtsp']}/demo"
        wait_http(srv.http("/demo/stream.m3u8"), srv.server, check=lambda b: "#EXT-X-PART:" in b)
        for url in (peer.rtmp_url("g2g"), srv.rtmp("bench/g2g")):
            relays.append(Proc(["ffmpeg", "-hide_banner", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", demo_rtsp,
                                "-c", "copy", "-an", "-f", "flv", url], os.path.join(srv.tmp, f"relay{len(relays)}.log")))
        wait_http(srv.http("/bench/g2g/stream.m3u8"), srv.server, check=lambda b: "#EXT-X-PART:" in b)
        wait_http(peer.hls_url("g2g"), peer.server, check=lambda b: b.count("#EXTINF") >= 3)
        streams = [f"ocellus LL-HLS, relayed=ll:{srv.http('/bench/g2g/index.m3u8')}",
                   f"ocellus LL-HLS, demo direct=ll:{srv.http('/demo/index.m3u8')}",
                   f"nginx-rtmp HLS, relayed=plain:{peer.hls_url('g2g')}"]
        out = subprocess.run(["node", os.path.join(HERE, "hls_glass.mjs"), "--seconds", str(a.glass_seconds), *streams],
                             capture_output=True, text=True, timeout=120 + 3 * (a.glass_seconds + 60))
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise RuntimeError(f"hls_glass.mjs printed nothing (exit {out.returncode}): {out.stderr[-500:]}")
        return lines
    finally:
        for r in relays:
            r.stop()
        if peer:
            peer.stop()
        srv.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--ocellus", help="ocellus binary (default BUILD/ocellus)")
    ap.add_argument("--load", help="hls_load binary (default BUILD/bench/hls_load)")
    ap.add_argument("--clients", default="100,500,1000")
    ap.add_argument("--window", type=float, default=15)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--rate", type=float, default=200, help="clients started per second")
    ap.add_argument("--glass-seconds", type=float, default=20)
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--skip-glass", action="store_true")
    ap.add_argument("--no-skip", action="store_true", help="blocking reloads fetch whole playlists, not delta updates")
    ap.add_argument("--hints", action="store_true", help="clients GET the hinted part at once (EXT-X-PRELOAD-HINT)")
    ap.add_argument("--client-threads", type=int, default=1, help="hls_load threads (io_contexts)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ocellus-bench"))
    ap.add_argument("--raw", help="append every run's figures as JSON lines to this file")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    binary = a.ocellus or os.path.join(a.build, "ocellus")
    load_bin = os.path.abspath(a.load or os.path.join(a.build, "bench", "hls_load"))
    raise_nofile()
    os.makedirs(a.work, exist_ok=True)
    notes = []

    if not a.skip_load:
        if not os.access(load_bin, os.X_OK):
            sys.exit(f"{load_bin} not found: build the hls_load target first")
        source = baseline_clip(a.work, KBPS, seconds=60)
        print(f"LL-HLS load (Ocellus): {KBPS} kbit/s H.264 360p30 published over RTMP, 1 s segments of 200 ms parts, "
              f"{a.window:g} s window, median of {a.repeat}, {os.cpu_count()} cores; blocking reloads "
              + ("fetch whole playlists (--no-skip)" if a.no_skip else
                 "ask for delta updates (_HLS_skip=YES) as hls.js does, the playlist advertising CAN-SKIP-UNTIL")
              + ("; clients GET the hinted part at once (--hints)" if a.hints else "")
              + (f"; {a.client_threads} client threads" if a.client_threads > 1 else ""),
              flush=True)
        rows = []
        for n in [int(v) for v in a.clients.split(",")]:
            runs, error = [], None
            for _ in range(a.repeat):
                try:
                    runs.append(measure_load(binary, load_bin, source, n, a))
                    if a.raw:
                        with open(a.raw, "a") as f:
                            f.write(json.dumps({"kind": "load", **runs[-1]}) + "\n")
                except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                    error = str(e)
                    break
            rows.append(load_row(n, runs, error))
            for x in runs:
                if x["log_problems"]:
                    notes.append(f"ocellus N={n}: {x['log_problems']} warning/error line(s), e.g. " + " | ".join(x["log_quoted"]))
                if x["raw"]["errors"]:
                    notes.append(f"N={n} client errors: {x['raw']['errors']}")
            print(f"  N={n}: " + (error or "ok"), file=sys.stderr, flush=True)
        print("\n| clients | started / failed / errors | active at end | parts/s per client | skipped parts "
              "| part delay p50 / p99 / max ms | reload wake-up p50 / p99 ms | part GET p50 / p99 ms "
              "| vs media clock p50 / p99 ms | server CPU % | RSS MB | client CPU % | machine CPU % |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for line in rows:
            print(line)

    if not a.skip_glass:
        print(f"\nHLS glass-to-glass in hls.js (headless Chromium), {a.glass_seconds:g} s of displayed frames per stream",
              flush=True)
        try:
            lines = glass(binary, a)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            lines = [{"name": "all", "error": str(e)}]
        if a.raw:
            with open(a.raw, "a") as f:
                for line in lines:
                    f.write(json.dumps({"kind": "glass", **line}) + "\n")
        print("\n| stream | frames read | glass-to-glass median / p95 / min / max ms | hls.js latency s | errors (fatal) |")
        print("|---|---:|---:|---:|---:|")
        for x in lines:
            if "error" in x:
                print(f"| {x['name']} | not run: {x['error'][:300]} ||||")
            else:
                print(f"| {x['name']} | {x['n']} ({x['failures']} unreadable) | {x['median']} / {x['p95']} / {x['min']} / "
                      f"{x['max']} | {x['hlsLatency'] or 0:.2f} | {x['errors']} ({x['fatal']}) |")

    print(f"\nTargets: {TARGETS}.")
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
