"""Helpers shared by the benchmark drivers in bench/: ports, /proc sampling, child processes,
generated Ocellus configs, the test clip and its publisher, and the load clients' marker protocol."""
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e", "lib"))
from ports import free_port  # noqa: E402 (the tests' own, after the path that finds it)

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime (proc(5) fields 14, 15)


def machine_idle_seconds():
    """Idle + iowait time of all cores (proc(5) /proc/stat, first line). Busy time is better taken as
    elapsed × cores − this: the busy counters are sampled at ticks and miss a server's short wake-ups,
    the idle time is measured exactly when the kernel stops the tick."""
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    return (ticks[3] + ticks[4]) / CLK_TCK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def udp_drops(pid, port):
    """Datagrams the kernel dropped on PID's UDP sockets bound to `port` (proc(5) /proc/PID/net/udp, last
    column: a full receive buffer), or None when there is no such socket."""
    found = None
    with open(f"/proc/{pid}/net/udp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port:
                found = (found or 0) + int(fields[-1])
    return found


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Proc:
    """A child process in its own session, logged to a file, stopped with SIGTERM then SIGKILL."""

    def __init__(self, cmd, log, cwd=None, env=None):
        self.log = log
        self.p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=open(log, "wb"),
                                  stderr=subprocess.STDOUT, preexec_fn=raise_nofile, start_new_session=True)
        self.pid = self.p.pid

    def alive(self):
        return self.p.poll() is None

    def tail(self, n=3):
        try:
            with open(self.log, errors="replace") as f:
                return " / ".join(line.strip() for line in f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.alive():
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def wait_port(port, proc, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not proc.alive():
            raise RuntimeError(f"exited with {proc.p.returncode}: {proc.tail()}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"not listening on {port} after {seconds} s")


LOG_PROBLEM = re.compile(r"^\S+ \S+ (?:\x1b\[[0-9;]*m)?(?:warning|error|critical)\b")  # "%Y-%m-%d %H:%M:%S.%e %l %v"


def log_problems(path, quote=3):
    """Warning and error lines an Ocellus log holds: their count and the first few."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.strip() for line in f if LOG_PROBLEM.match(line)]
    except OSError:
        return 0, []
    return len(lines), lines[:quote]


def ocellus_config(tmp, extra="", demo="{enabled: false}"):
    """Writes TMP/ocellus.yml for a fresh server: every listener on 127.0.0.1 on a free port, data in
    TMP/data, the demo camera as `demo` says (off), then the YAML lines in `extra`. Returns the path and the ports."""
    http, rtsp, rtmp = free_port(), free_port(), free_port()
    rtsp_udp, webrtc = free_port(socket.SOCK_DGRAM, pair=True), free_port(socket.SOCK_DGRAM)
    srt = free_port(socket.SOCK_DGRAM)  # else :8890, taken by any other server on the machine
    path = os.path.join(tmp, "ocellus.yml")
    with open(path, "w") as f:
        f.write(f"data_dir: {tmp}/data\n"
                f'http: {{address: "127.0.0.1:{http}"}}\n'
                f'rtsp: {{address: "127.0.0.1:{rtsp}", udp_rtp_address: "127.0.0.1:{rtsp_udp}", '
                f'udp_rtcp_address: "127.0.0.1:{rtsp_udp + 1}"}}\n'
                f'rtmp: {{address: "127.0.0.1:{rtmp}"}}\n'
                f'webrtc: {{udp_address: "127.0.0.1:{webrtc}"}}\n'
                f'srt: {{address: "127.0.0.1:{srt}"}}\n'
                f"demo: {demo}\n" + extra)
    ports = {"http": http, "rtsp": rtsp, "rtmp": rtmp, "rtsp_udp": rtsp_udp, "webrtc": webrtc, "srt": srt}
    return path, ports


def encode_clip(work, name, args):
    """WORK/NAME made once with `ffmpeg -y ARGS WORK/NAME` (cached: later runs reuse the file)."""
    path = os.path.join(work, name)
    if not os.path.exists(path):
        tmp = path + ".part" + os.path.splitext(name)[1]
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args, tmp], check=True)
        os.rename(tmp, path)
    return path


def baseline_clip(work, kbps, seconds=20):
    """testsrc2 640x360 30 fps H.264 Constrained Baseline 3.1, CBR-ish at `kbps`, an IDR every 30 frames, no
    B-frames, SPS/PPS at every keyframe: what every browser and aiortc decode. Made once (encode_clip)."""
    return encode_clip(work, f"testsrc2-360p30-baseline-{kbps}k-{seconds}s.mp4",
                       ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", str(seconds), "-c:v", "libx264",
                        "-profile:v", "baseline", "-level", "3.1", "-pix_fmt", "yuv420p", "-g", "30", "-bf", "0",
                        "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k", "-bufsize", f"{kbps}k",
                        "-x264-params", "repeat-headers=1"])


def rtmp_publisher(source, url, log):
    """ffmpeg publishing `source` looped in real time, copied (no re-encoding), over RTMP (FLV)."""
    return Proc(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", source,
                 "-c", "copy", "-an", "-f", "flv", url], log)


def rtsp_publisher(source, url, log):
    """ffmpeg publishing `source` looped in real time, copied (no re-encoding), over RTSP/TCP."""
    return Proc(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", source,
                 "-c", "copy", "-an", "-f", "rtsp", "-rtsp_transport", "tcp", url], log)


def run_client(cmd, on_marker=None, name=None):
    """Runs a bench load client that writes markers (READY, WINDOW_END, …) alone on stderr lines and one
    JSON report as its last stdout line. on_marker(marker, client_pid) is called as each marker arrives;
    other stderr lines are echoed prefixed with `name` (dropped when name is None). Returns the report."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=raise_nofile, text=True)
    try:
        for line in p.stderr:
            line = line.strip()
            if re.fullmatch(r"[A-Z_]+", line):
                if on_marker:
                    on_marker(line, p.pid)
            elif line and name:
                print(f"  {name}: {line}", file=sys.stderr, flush=True)
        out = p.stdout.read()
        p.wait()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"{os.path.basename(cmd[0])} printed no report (exit {p.returncode})") from None


def fanout_runs(classes, sizes, repeat, start, measure, size_key, raw=None, fed="fed", interleave=False):
    """The run loop of a fan-out benchmark: each server class once idle (its RSS noted), then at
    every size `repeat` times. `start(cls)` gives a server whose stream flows, `measure(srv, n)`
    the run's figures (a dict; "server" is added). A failed run ends that cell; a server that
    cannot start idle gets one cell of size "–". Returns (cells, notes), cells as (server name,
    size, runs, error) in order; with `raw`, every run is appended to that file as one JSON line
    (see raw_cells). `size_key` names the size in the figures ("viewers", "players").
    `start(cls, idle=True)` starts the server only. interleave: the servers take turns, one run
    each per size and repeat (A/B comparisons on a shared machine: both see the same noise);
    otherwise each server does all its runs before the next."""
    cells, runs_all, notes, live = {}, [], [], []
    for cls in classes:
        try:
            srv = start(cls, idle=True)
            time.sleep(2)
            notes.append(f"{cls.name} idle RSS: {rss_mb(srv.server.pid):.1f} MB")
            srv.stop()
            live.append(cls)
            for n in sizes:
                cells[(cls.name, n)] = ([], None)
        except RuntimeError as e:
            cells[(cls.name, "–")] = ([], str(e))
            print(f"  {cls.name}: {e}", file=sys.stderr, flush=True)
    order = ([(cls, n) for _ in range(repeat) for n in sizes for cls in live] if interleave
             else [(cls, n) for cls in live for n in sizes for _ in range(repeat)])
    for cls, n in order:
        runs, error = cells[(cls.name, n)]
        if error:
            continue
        srv = None
        try:
            srv = start(cls)
            runs.append({"server": cls.name, **measure(srv, n)})
            if raw:
                with open(raw, "a") as f:
                    f.write(json.dumps(runs[-1]) + "\n")
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            error = str(e)
            cells[(cls.name, n)] = (runs, error)
        finally:
            if srv:
                srv.stop()
        if not error:
            runs_all.append(runs[-1])
        print(f"  {cls.name} N={n} run {len(runs)}: " + (error or "ok"), file=sys.stderr, flush=True)
    for name in dict.fromkeys(x["server"] for x in runs_all):
        base = statistics.median(x["rss_base"] for x in runs_all if x["server"] == name)
        notes.append(f"{name} RSS with the stream {fed}, before any client: {base:.1f} MB")
    for x in runs_all:
        if x["log_problems"]:
            notes.append(f"{x['server']} N={x[size_key]}: the server logged {x['log_problems']} warning/error "
                         "line(s), e.g. " + " | ".join(x["log_quoted"]))
    return [(name, n, runs, error) for (name, n), (runs, error) in cells.items()], notes


def raw_cells(path, size_key):
    """The cells of runs saved by fanout_runs(raw=path), grouped by server and size in file order."""
    groups = {}
    with open(path) as f:
        for line in f:
            x = json.loads(line)
            groups.setdefault((x["server"], x[size_key]), []).append(x)
    return [(name, n, runs, None) for (name, n), runs in groups.items()]


class Window:
    """A load client's measuring window, from its READY and WINDOW_END markers (run_client's
    on_marker): the server's and the client's CPU % of one core, the machine's CPU % (of all its
    cores), and the server's RSS before (rss_base) and at the window's end (rss). `probe()`, when
    given, is called at both markers; its values are kept as (at READY, at WINDOW_END)."""

    def __init__(self, pid, probe=None):
        self.pid, self.probe = pid, probe
        self.rss_base = rss_mb(pid)
        self.start = self.end = None

    def _sample(self, client_pid):
        return {"t": time.monotonic(), "s": cpu_seconds(self.pid), "c": cpu_seconds(client_pid),
                "m": machine_idle_seconds(), "rss": rss_mb(self.pid), "probe": self.probe() if self.probe else None}

    def on_marker(self, marker, client_pid):
        if marker == "READY":
            self.start = self._sample(client_pid)
        elif marker == "WINDOW_END":
            self.end = self._sample(client_pid)

    @property
    def opened(self):
        return self.start is not None and self.end is not None

    def figures(self):
        a, b = self.start, self.end
        dt = b["t"] - a["t"]
        return {"cpu": 100 * (b["s"] - a["s"]) / dt, "client_cpu": 100 * (b["c"] - a["c"]) / dt,
                "machine_cpu": 100 * (dt * os.cpu_count() - (b["m"] - a["m"])) / dt,
                "rss": b["rss"], "rss_base": self.rss_base}
