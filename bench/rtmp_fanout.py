#!/usr/bin/python3
"""RTMP fan-out: one 600 kbit/s H.264 stream published over RTMP to N RTMP players; players per core.

    /usr/bin/python3 bench/rtmp_fanout.py --build build/release [--players 100,500,1000,2000]
                                          [--window 15] [--repeat 1] [--servers ocellus,nginx] [--raw runs.jsonl]
    /usr/bin/python3 bench/rtmp_fanout.py --servers ocellus,ocellus-b --ocellus-b OTHER/ocellus --interleave ...
                                          # A/B: two Ocellus builds taking turns, one run each
    /usr/bin/python3 bench/rtmp_fanout.py --table-from runs.jsonl   # the table again, from saved runs

For every server, N and repeat a fresh server gets the same pre-encoded clip (640x360 30 fps,
Constrained Baseline, 600 kbit/s CBR-ish, GOP 30; benchlib.baseline_clip) published by ffmpeg over
RTMP (-re, -c copy, looped) to rtmp://127.0.0.1:PORT/bench/stream; then bench/rtmp_load opens N
players of that URL and counts what arrives. The server's and the client's CPU and the whole
machine's are sampled from /proc over exactly the client's window (READY / WINDOW_END on its
stderr), the server's RSS at WINDOW_END. Prints a markdown table; columns: bench/README.md.
"""
import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time

from benchlib import (Proc, Window, baseline_clip, fanout_runs, log_problems, ocellus_config, raise_nofile,
                      raw_cells, rtmp_publisher, run_client, wait_port)
from peers.nginx_rtmp import NginxRtmp

APP, STREAM = "bench", "stream"  # Ocellus path "bench/stream"; its app "live" is for camera stream keys
KBPS = 600
ANCHORS = [
    "SRS: 4000 RTMP players of 600 kbit/s on one core at 94% CPU, 419 MB",
    "nginx-rtmp: 2400 players at 92% CPU",
]
TARGETS = "6000 RTMP players of 600 kbit/s per core, under 150 MB RSS"


def wait_media(server, load_bin, publisher):
    """Until one player gets video from a fresh server."""
    deadline = time.time() + 20
    while time.time() < deadline:
        if not server.server.alive():
            raise RuntimeError(f"server exited: {server.server.tail()}")
        r = run_client([load_bin, "--url", server.url, "--players", "1", "--duration", "0.5", "--warmup", "0",
                        "--timeout", "3", "--ramp-timeout", "3"])
        if r["video_messages"] > 0:
            return
        time.sleep(0.5)
    raise RuntimeError(f"no RTMP video at {server.url} after 20 s; publisher: {publisher.tail() or 'no output'}")


class Ocellus:
    """A fresh server (generated config, demo off) with the clip published over RTMP."""
    name = "ocellus"

    def __init__(self, binary, work):
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} not built")
        self.tmp = tempfile.mkdtemp(prefix="ocellus-rtmp-", dir=work)
        config, ports = ocellus_config(self.tmp)
        self.url = f"rtmp://127.0.0.1:{ports['rtmp']}/{APP}/{STREAM}"
        self.server = Proc([os.path.abspath(binary), "--config", config], os.path.join(self.tmp, "server.log"),
                           cwd=self.tmp)
        self.procs = [self.server]
        try:
            wait_port(ports["rtmp"], self.server)
        except RuntimeError:
            self.stop()
            raise

    def start_stream(self, source, load_bin):
        pub = rtmp_publisher(source, self.url, os.path.join(self.tmp, "publisher.log"))
        self.procs.append(pub)
        wait_media(self, load_bin, pub)

    def log_problems(self):
        return log_problems(self.server.log)

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Nginx:
    """nginx + libnginx-mod-rtmp (peers/nginx_rtmp.py), `application bench { live on; }`."""
    name = "nginx-rtmp"

    def __init__(self, binary, work):
        self.peer = NginxRtmp(work, app=APP)
        self.server = self.peer.server
        self.url = self.peer.rtmp_url(STREAM)
        self.procs = []

    def start_stream(self, source, load_bin):
        pub = rtmp_publisher(source, self.url, os.path.join(self.peer.tmp, "publisher.log"))
        self.procs.append(pub)
        wait_media(self, load_bin, pub)

    def log_problems(self):
        return self.peer.log_problems()

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        self.peer.stop()


class OcellusB(Ocellus):
    """The binary of --ocellus-b, for A/B comparisons of two builds."""
    name = "ocellus-b"


SERVERS = {"ocellus": Ocellus, "ocellus-b": OcellusB, "nginx": Nginx}


def measure(server, load_bin, players, a):
    w = Window(server.server.pid)
    cmd = [load_bin, "--url", server.url, "--players", str(players), "--duration", str(a.window),
           "--inflight", str(a.inflight), "--timeout", str(a.timeout), "--threads", str(a.client_threads), "--fps", "30"]
    try:
        r = run_client(cmd, w.on_marker, name="rtmp_load")
    finally:
        if not server.server.alive():
            raise RuntimeError(f"the server exited ({server.server.p.returncode}): {server.server.tail()}")
    if not w.opened or r["connected"] == 0:
        raise RuntimeError(f"no player connected: {r['failures']}")
    f = w.figures()
    problems, quoted = server.log_problems()
    return {"players": players, "connected": r["connected"], "failed": r["failed"], "full_rate": r["full_rate"],
            "gbit": r["mbit_s"] / 1000, **f,
            "per_core": r["full_rate"] / (f["cpu"] / 100) if f["cpu"] else float("inf"),
            "log_problems": problems, "log_quoted": quoted, "raw": r}


def row(name, n, runs, error):
    if not runs:
        return f"| {name} | {n} | not run: {error} ||||||||||||"
    med = lambda k: statistics.median(x[k] for x in runs)  # noqa: E731
    raw = lambda k: [x["raw"][k] for x in runs]  # noqa: E731
    fps = statistics.median(x["raw"]["video_per_s_per_player"]["median"] for x in runs)
    fps_min = min(x["raw"]["video_per_s_per_player"]["min"] for x in runs)
    late = lambda q: statistics.median(x["raw"]["lateness_ms"][q] for x in runs)  # noqa: E731
    return (f"| {name} | {n} | {min(x['connected'] for x in runs)} / {max(x['failed'] for x in runs)} "
            f"| {min(x['full_rate'] for x in runs)} | {med('cpu'):.1f} | {med('rss'):.1f} | {med('gbit'):.2f} "
            f"| {fps_min:.1f} / {fps:.1f} | {max(raw('ts_dropped'))} ({max(raw('players_with_gaps'))}) "
            f"| {max(raw('lagging'))} / {max(raw('stalled'))} / {max(raw('closed_early'))} "
            f"| {late('p50'):.0f} / {late('p99'):.0f} | {med('per_core'):.0f} "
            f"| {med('client_cpu'):.1f} | {med('machine_cpu'):.0f} |"
            + (f" (run {len(runs) + 1} failed: {error})" if error else ""))


def print_table(rows):
    print("\n| server | players | connected / failed | at full rate | server CPU % | RSS MB | Gbit/s "
          "| video msg/s per player min / median | frames dropped (players) | lagging / stalled / closed "
          "| lateness p50 / p99 ms | players per core (linear) | client CPU % | machine CPU % |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for line in rows:
        print(line)
    print(f"\nTargets: {TARGETS}.")
    print("Published anchors (not measured here): " + "; ".join(ANCHORS) + ".")
    print("Players per core = players at full rate / (server CPU % / 100): a linear extrapolation from the "
          "measured row, honest only while delivery is complete and the server is below one core; "
          "the figure to quote is the one of the largest N whose players are all at full rate.")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release", help="build tree with ocellus and bench/rtmp_load")
    ap.add_argument("--ocellus", help="ocellus binary (default BUILD/ocellus)")
    ap.add_argument("--ocellus-b", help="the binary of server 'ocellus-b' (another build, for A/B runs)")
    ap.add_argument("--interleave", action="store_true",
                    help="servers take turns, one run each per N and repeat (A/B on a shared machine)")
    ap.add_argument("--load", help="rtmp_load binary (default BUILD/bench/rtmp_load)")
    ap.add_argument("--players", default="100,500,1000,2000")
    ap.add_argument("--servers", default="ocellus,nginx", help="ocellus, nginx (nginx + libnginx-mod-rtmp)")
    ap.add_argument("--window", type=float, default=15, help="measuring window per run, seconds")
    ap.add_argument("--repeat", type=int, default=1, help="runs per N; the table shows medians")
    ap.add_argument("--inflight", type=int, default=50, help="players starting at once")
    ap.add_argument("--timeout", type=float, default=20, help="seconds a player may take from connect to Play.Start")
    ap.add_argument("--client-threads", type=int, default=1, help="rtmp_load threads (io_contexts)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ocellus-bench"))
    ap.add_argument("--raw", help="append every run's figures as JSON lines to this file")
    ap.add_argument("--table-from", metavar="RAW", help="only print the table of runs saved earlier with --raw")
    a = ap.parse_args()
    if a.table_from:
        return print_table([row(*cell) for cell in raw_cells(a.table_from, "players")])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through the servers' stop()
    ocellus_bin = a.ocellus or os.path.join(a.build, "ocellus")
    if "ocellus-b" in a.servers.split(",") and not a.ocellus_b:
        sys.exit("server ocellus-b needs --ocellus-b BINARY")
    load_bin = os.path.abspath(a.load or os.path.join(a.build, "bench", "rtmp_load"))
    if not os.access(load_bin, os.X_OK):
        sys.exit(f"{load_bin} not found: build the rtmp_load target first")
    raise_nofile()
    os.makedirs(a.work, exist_ok=True)
    source = baseline_clip(a.work, KBPS, seconds=60)  # a loop wrap at most once in a window
    print(f"RTMP fan-out: {KBPS} kbit/s H.264 360p30 published over RTMP, RTMP players on loopback, "
          f"{a.window:g} s window, median of {a.repeat}, {os.cpu_count()} cores", flush=True)

    def start(cls, idle=False):
        srv = cls(a.ocellus_b if cls is OcellusB else ocellus_bin, a.work)
        if not idle:
            srv.start_stream(source, load_bin)
        return srv

    cells, notes = fanout_runs([SERVERS[k] for k in a.servers.split(",")], [int(v) for v in a.players.split(",")],
                               a.repeat, start, lambda srv, n: measure(srv, load_bin, n, a), "players", a.raw, "published",
                               a.interleave)
    print_table([row(*cell) for cell in cells])
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
