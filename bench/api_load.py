#!/usr/bin/python3
"""Control plane under load: JSON-RPC over WebSocket, REST, camera_status notifications, idle connections.

    /usr/bin/python3 bench/api_load.py --build build/release [--active 1000] [--rest-rps 100]
                                       [--duration 15] [--idle 10000] [--repeat 1]

For every repeat a fresh Ocellus (generated config, demo off, 10 cameras of source "publisher")
gets one bench/api_load run: N WebSocket clients that authenticate with a JWT, subscribe to
camera_status and call get_camera_status once a second; R REST GET /api/v1/cameras per second on
4 keep-alive connections; a publisher camera toggled online (RTSP RECORD) and offline (TCP close)
every 2 s, timing the camera_status_update each client receives; then M WebSocket connections that
only authenticate, held idle. The server's CPU and RSS are sampled from /proc at the markers the
client prints on stderr. Prints a markdown table; field meanings are in bench/README.md.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request

from benchlib import (Proc, cpu_seconds, log_problems, machine_idle_seconds, ocellus_config, raise_nofile, rss_mb,
                      run_client, wait_port)

ADMIN_PASSWORD = "bench-admin-pass-1"
CAMERAS = [f"cam{i}" for i in range(1, 10)]  # polled with get_camera_status
PUBLISHER = "cam0"                           # toggled by the client's RTSP publisher


def http_json(method, url, body=None, token=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


class Ocellus:
    """A fresh server in a temp dir, every listener on 127.0.0.1, with a signed-in admin and cameras."""

    def __init__(self, binary, work):
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} not built")
        self.tmp = tempfile.mkdtemp(prefix="ocellus-api-", dir=work)
        config, ports = ocellus_config(self.tmp, "log: {level: warn}\nauth: {access_token_ttl_seconds: 3600}\n")
        self.http_port, self.rtsp_port = ports["http"], ports["rtsp"]
        env = dict(os.environ, OCELLUS_ADMIN_PASSWORD=ADMIN_PASSWORD)
        self.server = Proc([os.path.abspath(binary), "--config", config], os.path.join(self.tmp, "server.log"),
                           cwd=self.tmp, env=env)
        try:
            wait_port(self.http_port, self.server)
            self.base = f"http://127.0.0.1:{self.http_port}"
            self.wait_healthy()
            login = http_json("POST", self.base + "/api/v1/auth/login",
                              {"username": "admin", "password": ADMIN_PASSWORD})
            self.token = login["access_token"]
            for cam in [PUBLISHER] + CAMERAS:
                http_json("POST", self.base + "/api/v1/cameras",
                          {"id": cam, "name": f"Bench {cam}", "source": "publisher"}, self.token)
        except (RuntimeError, OSError, KeyError, ValueError) as e:
            self.stop()
            raise RuntimeError(f"server set-up failed: {e}; log: {self.server.tail()}") from None

    def wait_healthy(self, seconds=15):
        deadline = time.time() + seconds
        while True:
            try:
                if http_json("GET", self.base + "/healthz", timeout=2).get("status") == "ok":
                    return
            except (OSError, ValueError):
                pass
            if time.time() > deadline or not self.server.alive():
                raise RuntimeError("GET /healthz never answered ok")
            time.sleep(0.1)

    def log_problems(self):
        """Warning and error lines the server logged, a few of them quoted."""
        return log_problems(self.server.log)

    def stop(self):
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_once(server, load_bin, a):
    pid = server.server.pid
    s = {"rss_start": rss_mb(pid)}

    def on_marker(marker, client_pid):
        now = time.monotonic()
        if marker == "READY":
            s["t0"], s["s0"], s["c0"] = now, cpu_seconds(pid), cpu_seconds(client_pid)
            s["m0"] = machine_idle_seconds()
        elif marker == "WINDOW_END":
            s["t1"], s["s1"], s["c1"] = now, cpu_seconds(pid), cpu_seconds(client_pid)
            s["rss_active"] = rss_mb(pid)
            s["m1"] = machine_idle_seconds()
        elif marker == "IDLE_BEGIN":
            s["rss_before_idle"] = rss_mb(pid)
        elif marker == "IDLE_READY":
            s["rss_idle"] = rss_mb(pid)

    cmd = [load_bin, "--http", f"127.0.0.1:{server.http_port}", "--rtsp", f"127.0.0.1:{server.rtsp_port}",
           "--token", server.token, "--camera", ",".join(CAMERAS), "--publisher-camera", PUBLISHER,
           "--active", str(a.active), "--rest-rps", str(a.rest_rps), "--duration", str(a.duration),
           "--idle", str(a.idle), "--idle-hold", str(a.idle_hold)]
    try:
        r = run_client(cmd, on_marker, name="api_load")
    finally:
        if not server.server.alive():
            raise RuntimeError(f"the server exited ({server.server.p.returncode}) during the run: "
                               f"{server.server.tail()}")
    if "t1" not in s:
        raise RuntimeError("api_load never opened its window")
    dt = s["t1"] - s["t0"]
    idle_open = r["idle"]["open_at_ready"]
    rss_delta = s.get("rss_idle", float("nan")) - s.get("rss_before_idle", float("nan"))
    problems, quoted = server.log_problems()
    return {"report": r, "cpu": 100 * (s["s1"] - s["s0"]) / dt, "client_cpu": 100 * (s["c1"] - s["c0"]) / dt,
            "rss_start": s["rss_start"], "rss_active": s["rss_active"],
            "machine_cpu": 100 * (dt * os.cpu_count() - (s["m1"] - s["m0"])) / dt,
            "rss_before_idle": s.get("rss_before_idle", float("nan")), "rss_idle": s.get("rss_idle", float("nan")),
            "kb_per_idle": rss_delta * 1024 / idle_open if idle_open else float("nan"),
            "kb_per_idle_from_start": ((s.get("rss_idle", float("nan")) - s["rss_start"]) * 1024 / idle_open
                                       if idle_open else float("nan")),
            "log_problems": problems, "log_quoted": quoted}


def table(runs, a):
    med = lambda f: statistics.median(f(x) for x in runs)  # noqa: E731
    worst = lambda f: max(f(x) for x in runs)  # noqa: E731
    rep = lambda x: x["report"]  # noqa: E731
    lat = lambda key, which="latency_ms": " / ".join(  # noqa: E731
        f"{med(lambda x: rep(x)[key][which][k]):.2f}" for k in ("p50", "p95", "p99", "max"))
    ntf = lambda x: rep(x)["notifications"]  # noqa: E731
    short = ntf(min(runs, key=lambda x: ntf(x)["delivered"] - ntf(x)["expected"]))  # most missing
    idle = lambda x: rep(x)["idle"]  # noqa: E731
    lost = worst(lambda x: idle(x)["open_at_ready"] - idle(x)["open_at_end"])  # closed by the server while held
    rows = [
        ("WS clients connected (active phase)", f"{min(rep(x)['active']['connected'] for x in runs)} / {a.active}", ""),
        ("WS RPC `get_camera_status` p50 / p95 / p99 / max ms", lat("rpc"), "p95 < 5, p99 < 20"),
        ("… the same to kernel arrival", lat("rpc", "arrival_latency_ms"), ""),
        ("WS RPC calls in window", f"{med(lambda x: rep(x)['rpc']['calls']):.0f}", ""),
        ("REST `GET /api/v1/cameras` p50 / p95 / p99 / max ms", lat("rest"), "p95 < 5, p99 < 20"),
        ("… the same to kernel arrival", lat("rest", "arrival_latency_ms"), ""),
        ("REST requests in window (rate)",
         f"{med(lambda x: rep(x)['rest']['requests']):.0f} ({med(lambda x: rep(x)['rest']['rps']):.1f}/s)", ""),
        ("errors: RPC error / unanswered / REST / disconnects (worst run)",
         f"{worst(lambda x: rep(x)['rpc']['errors'])} / {worst(lambda x: rep(x)['rpc']['unanswered'])} / "
         f"{worst(lambda x: rep(x)['rest']['errors'])} / {worst(lambda x: rep(x)['disconnects'])}", "0"),
        ("`camera_status_update` p50 / p95 / p99 / max ms", lat("notifications"), "p99 < 20"),
        ("… the same to kernel arrival", lat("notifications", "arrival_latency_ms"), ""),
        ("notifications delivered / expected (worst run)",
         f"{short['delivered']} / {short['expected']}", "all"),
        ("server CPU % over window (% of one core)", f"{med(lambda x: x['cpu']):.1f}", ""),
        ("server RSS MB, active phase", f"{med(lambda x: x['rss_active']):.1f}", ""),
        ("client CPU % over window", f"{med(lambda x: x['client_cpu']):.1f}", ""),
        ("client send lag p99 ms", f"{med(lambda x: rep(x)['send_lag_ms']['p99']):.2f}", ""),
        (f"whole machine CPU % over window (of {100 * os.cpu_count()})", f"{med(lambda x: x['machine_cpu']):.1f}", ""),
        ("idle connections open / failed",
         f"{min(idle(x)['open_at_ready'] for x in runs)} / {worst(lambda x: idle(x)['failed'])}"
         + (f" ({lost} closed during the hold)" if lost else ""), ""),
        ("server RSS MB before / after idle",
         f"{med(lambda x: x['rss_before_idle']):.1f} / {med(lambda x: x['rss_idle']):.1f}", ""),
        ("KB per idle connection", f"{med(lambda x: x['kb_per_idle']):.1f}", "< 20"),
    ]
    out = ["| metric | Ocellus | target |", "|---|---:|---|"]
    out += [f"| {m} | {v} | {t} |" for m, v, t in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release", help="build tree with ocellus and bench/api_load")
    ap.add_argument("--ocellus", help="ocellus binary (default BUILD/ocellus)")
    ap.add_argument("--load", help="api_load binary (default BUILD/bench/api_load)")
    ap.add_argument("--active", type=int, default=1000, help="WebSocket clients in the active phase")
    ap.add_argument("--rest-rps", type=float, default=100, help="REST requests per second")
    ap.add_argument("--duration", type=float, default=15, help="measuring window, seconds")
    ap.add_argument("--idle", type=int, default=10000, help="idle WebSocket connections")
    ap.add_argument("--idle-hold", type=float, default=5, help="seconds the idle connections stay open after IDLE_READY")
    ap.add_argument("--repeat", type=int, default=1, help="runs; the table shows medians")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ocellus-bench"))
    ap.add_argument("--raw", help="append every run's figures as JSON lines to this file")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through the server's stop()
    ocellus_bin = a.ocellus or os.path.join(a.build, "ocellus")
    load_bin = a.load or os.path.join(a.build, "bench", "api_load")
    if not os.access(load_bin, os.X_OK):
        sys.exit(f"{load_bin} not found: build the api_load target first")
    raise_nofile()
    os.makedirs(a.work, exist_ok=True)
    print(f"Control plane: {a.active} WebSocket clients (1 get_camera_status/s each), {a.rest_rps:g} REST req/s, "
          f"camera_status toggles every 2 s, {a.duration:g} s window; then {a.idle} idle WebSocket connections; "
          f"median of {a.repeat}, {os.cpu_count()} cores", flush=True)

    runs, errors, notes = [], [], []
    for i in range(a.repeat):
        server = None
        try:
            server = Ocellus(ocellus_bin, a.work)
            runs.append(run_once(server, load_bin, a))
            r = runs[-1]
            if r["log_problems"]:
                notes.append(f"run {i + 1}: the server logged {r['log_problems']} warning/error line(s), e.g. "
                             + " | ".join(r["log_quoted"]))
            if a.raw:
                with open(a.raw, "a") as f:
                    f.write(json.dumps({k: v for k, v in r.items()}) + "\n")
            print(f"  run {i + 1}: ok", file=sys.stderr, flush=True)
        except (RuntimeError, OSError, urllib.error.URLError) as e:
            errors.append(f"run {i + 1}: {e}")
            print(f"  run {i + 1}: {e}", file=sys.stderr, flush=True)
        finally:
            if server:
                server.stop()

    if not runs:
        print(f"\nnot run: {'; '.join(errors)}")
        sys.exit(1)
    print()
    print(table(runs, a))
    print("\nThere is no peer server with this API on this machine, so the table has no comparison column.")
    print(f"Server RSS at start (no clients): {statistics.median(x['rss_start'] for x in runs):.1f} MB; counted from "
          f"there instead of from before the idle phase (an upper bound: the allocator keeps what the active clients "
          f"freed), an idle connection costs {statistics.median(x['kb_per_idle_from_start'] for x in runs):.1f} KB.")
    for note in notes + errors:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
