#!/usr/bin/python3
"""RTSP fan-out: one 4 Mbit/s H.264 stream to N TCP readers, Ocellus beside gst-rtsp-server.

    /usr/bin/python3 bench/rtsp_fanout.py --build build/release [--readers 10,100,500,1000]
                                          [--window 15] [--repeat 3] [--servers ocellus,gst]

For every server and N, a fresh server process gets the same pre-encoded stream (ffmpeg -re,
-c copy, looped), then bench/rtsp_load opens N readers; the server's CPU and the client's CPU
are sampled from /proc over exactly the client's measuring window (it prints READY and
WINDOW_END on stderr). Prints a markdown table; column meanings are in bench/README.md.
"""
import argparse
import json
import re
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import (Proc, cpu_seconds, encode_clip, free_port, ocellus_config, raise_nofile, rss_mb,
                      rtsp_publisher, run_client, wait_port)

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = "bench"


def load(load_bin, url, readers, window, warmup=2.0, on_ready=None, on_end=None):
    """Runs rtsp_load; calls on_ready/on_end at the window edges; returns its JSON report."""
    cmd = [load_bin, "--url", url, "--readers", str(readers), "--duration", str(window), "--warmup", str(warmup)]
    calls = {"READY": on_ready, "WINDOW_END": on_end}
    return run_client(cmd, lambda marker, pid: calls.get(marker) and calls[marker](pid))


def wait_stream(load_bin, url, proc, seconds=20):
    """Until one reader gets RTP from url."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not proc.alive():
            raise RuntimeError(f"server exited: {proc.tail()}")
        r = load(load_bin, url, 1, 0.5, warmup=0)
        if r["rtp_packets"] > 0:
            return
        time.sleep(0.5)
    raise RuntimeError(f"no media at {url} after {seconds} s")


class Ocellus:
    name = "ocellus"

    def __init__(self, binary, source, tmp):
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} not built")
        self.tmp = tempfile.mkdtemp(prefix="ocellus-", dir=tmp)
        config, ports = ocellus_config(self.tmp)
        self.port = ports["rtsp"]
        self.url = f"rtsp://127.0.0.1:{self.port}/{PATH}"
        self.procs = []
        self.server = Proc([os.path.abspath(binary), "--config", config], os.path.join(self.tmp, "server.log"),
                           cwd=self.tmp)
        self.procs.append(self.server)
        self.source = source
        self.started()

    def started(self):
        try:
            wait_port(self.port, self.server)
        except RuntimeError:
            self.stop()
            raise

    def start_stream(self, load_bin):
        pub = rtsp_publisher(self.source, self.url, os.path.join(self.tmp, "publisher.log"))
        self.procs.append(pub)
        try:
            wait_stream(load_bin, self.url, self.server)
        except RuntimeError as e:
            raise RuntimeError(f"{e}; publisher: {pub.tail() or 'no output'}") from None

    def mark_window(self):
        """Remembers where the server log stands when the measuring window opens."""
        self.log_mark = os.path.getsize(self.server.log) if os.path.exists(self.server.log) else 0

    def server_latency_ms(self):
        """The server's own receive→send latency over the window, from the 5 s summaries ocellus logs
        ("relay latency over 5 s: N units, p50 X ms, p99 Y ms"): median of the p50s, worst p99."""
        with open(self.server.log, errors="replace") as f:
            f.seek(getattr(self, "log_mark", 0))
            found = re.findall(r"relay latency over \d+ s: \d+ units, p50 ([\d.]+) ms, p99 ([\d.]+) ms", f.read())
        if not found:
            return None
        p50s = sorted(float(a) for a, _ in found)
        return p50s[len(p50s) // 2], max(float(b) for _, b in found)

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)  # failures already quoted their logs


class GstRtspServer(Ocellus):
    name = "gst-rtsp-server"

    def __init__(self, binary, source, tmp):
        self.tmp = tempfile.mkdtemp(prefix="gst-", dir=tmp)
        self.port = free_port()
        self.udp = free_port(socket.SOCK_DGRAM)
        self.url = f"rtsp://127.0.0.1:{self.port}/{PATH}"
        self.source = source
        self.server = Proc(["/usr/bin/python3", os.path.join(HERE, "peers", "gst_rtsp_server.py"),
                            "--port", str(self.port), "--udp-port", str(self.udp), "--path", "/" + PATH],
                           os.path.join(self.tmp, "server.log"))
        self.procs = [self.server]
        self.started()

    def start_stream(self, load_bin):
        # Plain RTP to the factory's udpsrc; SPS/PPS travel in-band (the file repeats them).
        self.procs.append(Proc(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i",
                                self.source, "-c", "copy", "-an", "-f", "rtp", f"rtp://127.0.0.1:{self.udp}"],
                               os.path.join(self.tmp, "publisher.log")))
        wait_stream(load_bin, self.url, self.server)


SERVERS = {"ocellus": Ocellus, "gst": GstRtspServer}


def encode_source(work, seconds, kbps):
    """20 s of 1280x720 30 fps H.264 at kbps, SPS/PPS repeated at every keyframe, made once."""
    return encode_clip(work, f"testsrc2-720p30-{kbps}k-{seconds}s.mp4",
                       ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", str(seconds), "-c:v", "libx264",
                        "-preset", "ultrafast", "-tune", "zerolatency", "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k",
                        "-bufsize", f"{kbps}k", "-g", "30", "-pix_fmt", "yuv420p", "-x264-params", "repeat-headers=1"])


def measure(server, load_bin, readers, window):
    s = {}

    def ready(client_pid):
        s["t0"], s["s0"], s["c0"] = time.monotonic(), cpu_seconds(server.server.pid), cpu_seconds(client_pid)
        server.mark_window()

    def end(client_pid):
        s["t1"], s["s1"], s["c1"] = time.monotonic(), cpu_seconds(server.server.pid), cpu_seconds(client_pid)
        s["rss"] = rss_mb(server.server.pid)

    r = load(load_bin, server.url, readers, window, on_ready=ready, on_end=end)
    if "t1" not in s or r["connected"] == 0:
        raise RuntimeError(f"no reader connected: {r['failures']}")
    dt = s["t1"] - s["t0"]
    cpu = 100 * (s["s1"] - s["s0"]) / dt
    gbit = r["mbit_s"] / 1000
    return {"connected": r["connected"], "cpu": cpu, "gbit": gbit, "per_core": gbit / (cpu / 100) if cpu else 0,
            "rss": s["rss"], "drops": r["seq_lost"], "closed": r["closed_early"],
            "fps": r["frames_per_reader"]["min"] / r["window_s"],
            "late50": r["lateness_ms"]["p50"], "late99": r["lateness_ms"]["p99"],
            "client_cpu": 100 * (s["c1"] - s["c0"]) / dt, "server_latency": server.server_latency_ms(), "raw": r}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release", help="build tree with ocellus and bench/rtsp_load")
    ap.add_argument("--ocellus", help="ocellus binary (default BUILD/ocellus)")
    ap.add_argument("--load", help="rtsp_load binary (default BUILD/bench/rtsp_load)")
    ap.add_argument("--readers", default="10,100,500,1000")
    ap.add_argument("--window", type=float, default=15, help="measuring window per run, seconds")
    ap.add_argument("--repeat", type=int, default=1, help="runs per cell; the table shows medians")
    ap.add_argument("--servers", default="ocellus,gst")
    ap.add_argument("--kbps", type=int, default=4000)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ocellus-bench"))
    ap.add_argument("--raw", help="append every run's figures as JSON lines to this file")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through the servers' stop()
    ocellus_bin = a.ocellus or os.path.join(a.build, "ocellus")
    load_bin = a.load or os.path.join(a.build, "bench", "rtsp_load")
    if not os.access(load_bin, os.X_OK):
        sys.exit(f"{load_bin} not found: build the rtsp_load target first")
    raise_nofile()
    os.makedirs(a.work, exist_ok=True)
    source = encode_source(a.work, 20, a.kbps)
    readers = [int(n) for n in a.readers.split(",")]
    print(f"RTSP fan-out: {a.kbps / 1000:g} Mbit/s H.264 720p30, TCP interleaved readers on loopback, "
          f"{a.window:g} s window, median of {a.repeat}, {os.cpu_count()} cores", flush=True)

    rows, notes = [], []
    for key in a.servers.split(","):
        cls = SERVERS[key]
        try:  # idle: started (Ocellus with the demo off), no stream, nothing connected
            srv = cls(ocellus_bin, source, a.work)
            time.sleep(2)
            notes.append(f"{cls.name} idle RSS: {rss_mb(srv.server.pid):.1f} MB")
            srv.stop()
        except RuntimeError as e:
            notes.append(f"{cls.name} idle RSS: not measured ({e})")
        for n in readers:
            runs, error = [], None
            for _ in range(a.repeat):
                srv = None
                try:
                    srv = cls(ocellus_bin, source, a.work)
                    srv.start_stream(load_bin)
                    runs.append(measure(srv, load_bin, n, a.window))
                    if a.raw:
                        with open(a.raw, "a") as f:
                            f.write(json.dumps({"server": cls.name, "readers": n,
                                                **{k: v for k, v in runs[-1].items()}}) + "\n")
                except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                    error = str(e)
                finally:
                    if srv:
                        srv.stop()
                if error:
                    break
            rows.append((cls.name, n, runs, error))
            print(f"  {cls.name} N={n}: " + (error or "ok"), file=sys.stderr, flush=True)
            if error and not runs and n == readers[0]:
                rows[-1] = (cls.name, "–", [], error)
                break  # a server that cannot start is skipped

    med = lambda runs, k: statistics.median(r[k] for r in runs)  # noqa: E731
    print("\n| server | readers | connected | server CPU % | relayed Gbit/s | Gbit/s per server core | RSS MB "
          "| drops | closed | fps (slowest reader) | lateness p50 / p99 ms | server-added p50 / p99 ms | client CPU % |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, runs, error in rows:
        if not runs:
            print(f"| {name} | {n} | not run: {error} |||||||||||")
            continue
        sl = [r["server_latency"] for r in runs if r["server_latency"]]
        sl = f"{statistics.median(x[0] for x in sl):.2f} / {statistics.median(x[1] for x in sl):.2f}" if sl else "n/a"
        print(f"| {name} | {n} | {min(r['connected'] for r in runs)} | {med(runs, 'cpu'):.1f} "
              f"| {med(runs, 'gbit'):.3f} | {med(runs, 'per_core'):.2f} | {med(runs, 'rss'):.1f} "
              f"| {max(r['drops'] for r in runs)} | {max(r['closed'] for r in runs)} | {med(runs, 'fps'):.1f} "
              f"| {med(runs, 'late50'):.2f} / {med(runs, 'late99'):.2f} | {sl} | {med(runs, 'client_cpu'):.1f} |"
              + (f" (run {len(runs) + 1} failed: {error})" if error else ""))
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
