#!/usr/bin/python3
"""WebRTC fan-out: one 600 kbit/s H.264 stream to N WHEP viewers; viewers per server core.

    /usr/bin/python3 bench/webrtc_fanout.py --build build/release [--viewers 100,500,1000,2000,3000]
                                            [--window 15] [--repeat 1] [--inflight 50] [--raw runs.jsonl]

For every N and repeat a fresh Ocellus (generated config, demo off) gets the same pre-encoded clip
(640x360 30 fps, Constrained Baseline 3.1, 600 kbit/s CBR-ish, GOP 30, no B-frames) published over
RTSP by ffmpeg (-re, -c copy, looped); then bench/webrtc_load opens N WHEP viewers (POST, ICE,
DTLS, SRTP) and counts what arrives. The server's and the client's CPU and the whole machine's are
sampled from /proc over exactly the client's measuring window (READY / WINDOW_END on its stderr),
the server's RSS at WINDOW_END. Prints a markdown table; column meanings are in bench/README.md.
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import (Proc, Window, baseline_clip, fanout_runs, log_problems, ocellus_config, raise_nofile,
                      raw_cells, rtsp_publisher, run_client, udp_drops, wait_port)

PATH = "bench"
KBPS = 600
# Published figures (not measured here), quoted under the table.
ANCHORS = [
    "SRS: 2000 viewers of 600 kbit/s on one core at 94% CPU, 462 MB",
    "Janus: 700 viewers on two cores",
    "mediasoup: about 500 consumers per core",
    "MediaMTX: users report 150 viewers saturating 3 cores",
]
TARGETS = "3000 viewers of 600 kbit/s per core; under 150 MB RSS at 3000 viewers; first frame under 300 ms after the POST"


def wait_media(server, load_bin, log_source):
    """Until one viewer gets media from a fresh server."""
    deadline = time.time() + 20
    while time.time() < deadline:
        if not server.server.alive():
            raise RuntimeError(f"server exited: {server.server.tail()}")
        r = run_client(server.client_cmd(load_bin, 1, ["--duration", "0.5", "--warmup", "0"]))
        if r["rtp_packets"] > 0:
            return
        time.sleep(0.5)
    raise RuntimeError(f"no WebRTC media at {server.url} after 20 s; publisher: {log_source.tail() or 'no output'}")


class Ocellus:
    """A fresh server with the clip published at PATH."""
    name = "ocellus"

    def __init__(self, binary, work):
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} not built")
        self.tmp = tempfile.mkdtemp(prefix="ocellus-webrtc-", dir=work)
        config, ports = ocellus_config(self.tmp)
        self.webrtc_port = ports["webrtc"]
        self.url = f"http://127.0.0.1:{ports['http']}/{PATH}/whep"
        self.rtsp = f"rtsp://127.0.0.1:{ports['rtsp']}/{PATH}"
        self.server = Proc([os.path.abspath(binary), "--config", config], os.path.join(self.tmp, "server.log"),
                           cwd=self.tmp)
        self.procs = [self.server]
        try:
            wait_port(ports["http"], self.server)
        except RuntimeError:
            self.stop()
            raise

    def client_cmd(self, load_bin, viewers, extra):
        return [load_bin, "--url", self.url, "--viewers", str(viewers), *extra]

    def start_stream(self, source, load_bin):
        pub = rtsp_publisher(source, self.rtsp, os.path.join(self.tmp, "publisher.log"))
        self.procs.append(pub)
        wait_media(self, load_bin, pub)

    def log_problems(self):
        return log_problems(self.server.log)

    def port_drops(self):
        """What the kernel dropped on the one WebRTC socket every session shares (full receive buffer)."""
        return udp_drops(self.server.pid, self.webrtc_port)

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Janus:
    """Janus 1.1.2's streaming plugin fed the clip as RTP by ffmpeg, in a network namespace of its own.

    libnice gathers no loopback candidates, so Janus, ffmpeg and the load client all run inside a fresh
    namespace whose veth carries 127.0.0.2 (LAB.md): Janus offers that as its host candidate and every
    packet stays local. Janus runs as ICE-lite (like Ocellus), with two event loops (Ocellus has one
    media loop per core) and session timeouts off; the client speaks Janus's HTTP API instead of WHEP
    (webrtc_load --janus-mountpoint)."""
    name = "janus"
    PLUGINS = "/usr/lib/x86_64-linux-gnu/janus"

    def __init__(self, binary, work):
        janus = shutil.which("janus")
        if not janus or os.geteuid() != 0 or not shutil.which("ip"):
            raise RuntimeError("needs the janus package (scripts/deps.sh), root and iproute2")
        self.tmp = tempfile.mkdtemp(prefix="janus-", dir=work)
        self.ns = f"ocellus-bench-{os.getpid()}"
        self.prefix = ["ip", "netns", "exec", self.ns]
        self.procs = []
        for cmd in (["ip", "netns", "add", self.ns], ["ip", "-n", self.ns, "link", "set", "lo", "up"],
                    ["ip", "-n", self.ns, "link", "add", "vjb0", "type", "veth", "peer", "name", "vjb1"],
                    ["ip", "-n", self.ns, "addr", "add", "127.0.0.2/32", "dev", "vjb0"],
                    ["ip", "-n", self.ns, "link", "set", "vjb0", "up"], ["ip", "-n", self.ns, "link", "set", "vjb1", "up"]):
            if subprocess.run(cmd, capture_output=True).returncode != 0:
                self.stop()
                raise RuntimeError(f"{' '.join(cmd)} failed")
        others = lambda kind, keep: ",".join(f for f in sorted(os.listdir(f"{self.PLUGINS}/{kind}"))  # noqa: E731
                                            if f.endswith(".so") and keep not in f)
        with open(os.path.join(self.tmp, "janus.jcfg"), "w") as f:
            f.write(f'general: {{ configs_folder = "{self.tmp}", plugins_folder = "{self.PLUGINS}/plugins", '
                    f'transports_folder = "{self.PLUGINS}/transports", events_folder = "{self.PLUGINS}/events", '
                    f'loggers_folder = "{self.PLUGINS}/loggers", debug_level = 3, session_timeout = 0, '
                    f'event_loops = {os.cpu_count()} }}\n'
                    'media: { rtp_port_range = "20000-60000" }\n'
                    "nat: { nice_debug = false, ice_lite = true, ignore_mdns = true }\n"
                    f'plugins: {{ disable = "{others("plugins", "streaming")}" }}\n'
                    f'transports: {{ disable = "{others("transports", "http")}" }}\n'
                    f'events: {{ broadcast = false, disable = "{others("events", "-")}" }}\n'
                    'loggers: { disable = "libjanus_jsonlog.so" }\n')
        with open(os.path.join(self.tmp, "janus.transport.http.jcfg"), "w") as f:
            f.write('general: { json = "compact", base_path = "/janus", http = true, port = 8088, https = false }\n'
                    "admin: { admin_http = false }\n")
        with open(os.path.join(self.tmp, "janus.plugin.streaming.jcfg"), "w") as f:
            f.write('general: { }\nbench: { type = "rtp", id = 1, description = "bench", media = ({ type = "video", '
                    'mid = "v", port = 5004, pt = 96, codec = "h264", '
                    'fmtp = "profile-level-id=42e01f;packetization-mode=1" }) }\n')
        self.url = "http://127.0.0.1:8088/janus"
        self.server = Proc(self.prefix + [janus, "-C", os.path.join(self.tmp, "janus.jcfg"), "-F", self.tmp],
                           os.path.join(self.tmp, "server.log"))
        self.procs.append(self.server)
        deadline = time.time() + 15
        probe = self.prefix + ["/usr/bin/python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 8088), 1)"]
        while subprocess.run(probe, capture_output=True).returncode != 0:  # its port is in the namespace
            if time.time() > deadline or not self.server.alive():
                self.stop()
                raise RuntimeError(f"Janus did not start: {self.server.tail()}")
            time.sleep(0.2)

    def client_cmd(self, load_bin, viewers, extra):
        return self.prefix + [load_bin, "--url", self.url, "--janus-mountpoint", "1", "--viewers", str(viewers), *extra]

    def start_stream(self, source, load_bin):
        pub = Proc(self.prefix + ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i",
                                  source, "-c", "copy", "-an", "-f", "rtp", "-payload_type", "96",
                                  "rtp://127.0.0.1:5004"], os.path.join(self.tmp, "publisher.log"))
        self.procs.append(pub)
        wait_media(self, load_bin, pub)

    def log_problems(self):
        return 0, []  # Janus logs its own warnings at start-up; nothing comparable to scan

    def port_drops(self):
        return None  # a socket per viewer: the client's udp_rcvbuf_errors covers the machine

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


SERVERS = {"ocellus": Ocellus, "janus": Janus}


def measure(server, load_bin, viewers, a):
    d_start = server.port_drops()
    w = Window(server.server.pid, server.port_drops)
    cmd = server.client_cmd(load_bin, viewers, ["--duration", str(a.window), "--inflight", str(a.inflight),
                                                  "--timeout", str(a.timeout)])
    try:
        r = run_client(cmd, w.on_marker, name="webrtc_load")
    finally:
        if not server.server.alive():
            raise RuntimeError(f"the server exited ({server.server.p.returncode}): {server.server.tail()}")
    if not w.opened or r["connected"] == 0:
        raise RuntimeError(f"no viewer connected: {r['failures']}")
    f = w.figures()
    cpu = f["cpu"]
    gbit = r["mbit_s"] / 1000
    problems, quoted = server.log_problems()
    d0, d1 = w.start["probe"], w.end["probe"]
    # None when a reading of /proc/PID/net/udp missed the port (its lines are read in pieces)
    drops = (d0 - d_start, d1 - d0) if None not in (d_start, d0, d1) else None
    return {"viewers": viewers, "connected": r["connected"], "failed": r["failed"], "served": r["served"],
            **f, "gbit": gbit, "per_core": r["served"] / (cpu / 100) if cpu else float("inf"),
            "gbit_per_core": gbit / (cpu / 100) if cpu else float("inf"),
            "ff50": r["first_frame_ms"]["p50"], "ff95": r["first_frame_ms"]["p95"],
            "kf50": r["first_keyframe_ms"]["p50"], "port_drops": drops,
            "pps_min": r["packets_per_s_per_viewer"]["min"], "pps_med": r["packets_per_s_per_viewer"]["median"],
            "lost": r["seq_lost"], "nacks": r["nack_packets"], "recovered": r["recovered"],
            "log_problems": problems, "log_quoted": quoted, "raw": r}


def row(name, n, runs, error):
    if not runs:
        return f"| {name} | {n} | not run: {error} |||||||||||||"
    med = lambda k: statistics.median(x[k] for x in runs)  # noqa: E731
    worst = lambda k: max(x[k] for x in runs)  # noqa: E731
    fps = statistics.median(x["raw"]["frames_per_s_per_viewer"]["median"] for x in runs)
    drops = [x["port_drops"] for x in runs if x["port_drops"] is not None]
    drops = f"{max(d[0] for d in drops)} / {max(d[1] for d in drops)}" if drops else "n/a"
    return (f"| {name} | {n} | {min(x['served'] for x in runs)} / {min(x['connected'] for x in runs)} / "
            f"{worst('failed')} | {med('cpu'):.1f} | {med('per_core'):.0f} | {med('gbit_per_core'):.2f} "
            f"| {med('rss'):.1f} | {med('ff50'):.0f} / {med('ff95'):.0f} | {med('kf50'):.0f} "
            f"| {med('pps_min'):.1f} / {med('pps_med'):.1f} ({fps:.1f}) | {worst('lost')} "
            f"| {worst('nacks')} ({worst('recovered')}) "
            f"| {drops} | {med('client_cpu'):.1f} | {med('machine_cpu'):.0f} |"
            + (f" (run {len(runs) + 1} failed: {error})" if error else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release", help="build tree with ocellus and bench/webrtc_load")
    ap.add_argument("--ocellus", help="ocellus binary (default BUILD/ocellus)")
    ap.add_argument("--load", help="webrtc_load binary (default BUILD/bench/webrtc_load)")
    ap.add_argument("--viewers", default="100,500,1000,2000,3000")
    ap.add_argument("--servers", default="ocellus,janus", help="ocellus, janus (Janus 1.1.2 in a network namespace)")
    ap.add_argument("--window", type=float, default=15, help="measuring window per run, seconds")
    ap.add_argument("--repeat", type=int, default=1, help="runs per N; the table shows medians")
    ap.add_argument("--inflight", type=int, default=50, help="WebRTC handshakes in progress at once")
    ap.add_argument("--timeout", type=float, default=20, help="seconds a viewer may take from POST to DTLS connected")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ocellus-bench"))
    ap.add_argument("--raw", help="append every run's figures as JSON lines to this file")
    ap.add_argument("--table-from", metavar="RAW", help="only print the table of runs saved earlier with --raw")
    a = ap.parse_args()
    if a.table_from:
        return print_table([row(*cell) for cell in raw_cells(a.table_from, "viewers")])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through the servers' stop()
    ocellus_bin = a.ocellus or os.path.join(a.build, "ocellus")
    load_bin = os.path.abspath(a.load or os.path.join(a.build, "bench", "webrtc_load"))
    if not os.access(load_bin, os.X_OK):
        sys.exit(f"{load_bin} not found: build the webrtc_load target first")
    raise_nofile()
    os.makedirs(a.work, exist_ok=True)
    source = baseline_clip(a.work, KBPS)
    print(f"WebRTC fan-out: {KBPS} kbit/s H.264 360p30 (Constrained Baseline), WebRTC viewers on loopback, "
          f"{a.window:g} s window, median of {a.repeat}, {os.cpu_count()} cores", flush=True)

    def start(cls, idle=False):
        srv = cls(ocellus_bin, a.work)
        try:
            if not idle:
                srv.start_stream(source, load_bin)
        except BaseException:
            srv.stop()
            raise
        return srv

    cells, notes = fanout_runs([SERVERS[k] for k in a.servers.split(",")], [int(v) for v in a.viewers.split(",")],
                               a.repeat, start, lambda srv, n: measure(srv, load_bin, n, a), "viewers", a.raw, "fed")
    print_table([row(*cell) for cell in cells])
    for note in notes:
        print(f"\n{note}")


def print_table(rows):
    print("\n| server | viewers | served / connected / failed | server CPU % | served viewers per core "
          "| Gbit/s per core | RSS MB | first packet p50 / p95 ms | first keyframe p50 ms "
          "| pkt/s per viewer min / median (fps median) | lost pkts | NACKs sent (recovered) | port drops ramp / window "
          "| client CPU % | machine CPU % |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for line in rows:
        print(line)
    print(f"\nTargets: {TARGETS}.")
    print("Published anchors (not measured here): " + "; ".join(ANCHORS) + ".")




if __name__ == "__main__":
    main()
