"""Shared fixtures for end-to-end tests: a real `ocellus` on free loopback ports in a
temporary folder, started and stopped by the test, plus helpers for real clients."""
import json
import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest

from lib.fake_camera import FakeCamera
from lib.ports import free_port
from lib.processes import Processes

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("OCELLUS_BIN", str(ROOT / "build" / "release" / "ocellus"))
# The first start creates the "admin" user with this password (OCELLUS_ADMIN_PASSWORD).
DEFAULT_ADMIN_PASSWORD = "admin-pass-1234"


def wait_until(predicate, timeout=20.0, interval=0.05, what="condition"):
    """Polls predicate until it returns a truthy value; the timeout only guards against hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class Server:
    """One ocellus process. config: dict merged over the test defaults (JSON is YAML)."""

    def __init__(self, tmp_path, config=None, env=None):
        self.dir = tmp_path
        rtp = free_port(socket.SOCK_DGRAM, pair=True)
        self.rtsp_port = free_port()
        self.http_port = free_port()
        self.config = {
            "data_dir": str(tmp_path / "data"),
            "log": {"level": "debug"},
            "http": {"address": f"127.0.0.1:{self.http_port}"},
            "rtsp": {"address": f"127.0.0.1:{self.rtsp_port}",
                     "udp_rtp_address": f"127.0.0.1:{rtp}",
                     "udp_rtcp_address": f"127.0.0.1:{rtp + 1}"},
            "rtmp": {"address": f"127.0.0.1:{free_port()}"},
            "srt": {"address": f"127.0.0.1:{free_port(socket.SOCK_DGRAM)}"},
            "webrtc": {"udp_address": f"127.0.0.1:{free_port(socket.SOCK_DGRAM)}"},
            "demo": {"enabled": True, "width": 640, "height": 360, "fps": 30, "bitrate_kbps": 800},
        }
        for key, value in (config or {}).items():
            if isinstance(value, dict) and isinstance(self.config.get(key), dict):
                self.config[key].update(value)
            else:
                self.config[key] = value
        self.config_path = tmp_path / "ocellus.yml"
        self.log_path = tmp_path / "ocellus.log"
        self.env = dict(os.environ, **(env or {}))
        self.env.setdefault("OCELLUS_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
        self.admin_password = self.env["OCELLUS_ADMIN_PASSWORD"]
        self.proc = None

    running = []  # launched and not stopped: their logs go into a failed test's report

    def write_config(self):
        self.config_path.write_text(json.dumps(self.config, indent=2))

    def launch(self):
        """Starts the process without waiting for anything."""
        self.write_config()
        self.log = open(self.log_path, "ab")
        self.log_start = self.log.tell()  # this run's output begins here
        self.proc = subprocess.Popen([BIN, "--config", str(self.config_path)], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=self.env, cwd=self.dir)
        if self not in Server.running:
            Server.running.append(self)
        return self

    def start(self):
        self.launch()
        # Ready once it has printed its banner (everything configured has started) and the RTSP
        # port accepts. The port alone is not enough: it opens before the demo camera publishes.
        wait_until(lambda: self.proc.poll() is not None or (self.ready() and port_open(self.rtsp_port)),
                   what="ocellus to start")
        assert self.proc.poll() is None, f"ocellus exited at start:\n{self.log_text()}"
        return self

    def ready(self):
        with open(self.log_path, "rb") as f:
            f.seek(self.log_start)
            return b"is running." in f.read()

    def url(self, path):
        return f"rtsp://127.0.0.1:{self.rtsp_port}/{path}"

    def srt_url(self, stream_id, **options):
        """srt://127.0.0.1:PORT?streamid=...&... on the server's SRT listener."""
        query = "&".join([f"streamid={stream_id}"] + [f"{k}={v}" for k, v in options.items()])
        return f"srt://{self.config['srt']['address']}?{query}"

    def http(self, path=""):
        """A URL on the HTTP port: http("/healthz")."""
        return f"http://127.0.0.1:{self.http_port}{path}"

    def api(self, path=""):
        """A REST API URL: api("/cameras") -> http://127.0.0.1:PORT/api/v1/cameras."""
        return f"http://127.0.0.1:{self.http_port}/api/v1{path}"

    @property
    def ws_url(self):
        return f"ws://127.0.0.1:{self.http_port}/ws"

    @property
    def data_dir(self):
        return pathlib.Path(self.config["data_dir"])

    def wait_http(self, timeout=20):
        """Waits until the HTTP port (REST, JSON-RPC) accepts connections; start() does not wait
        for it, so that the media-only tests do not depend on the control plane."""
        wait_until(lambda: self.proc.poll() is not None or port_open(self.http_port), timeout=timeout,
                   what="the HTTP port")
        assert self.proc.poll() is None, f"ocellus exited:\n{self.log_text()[-4000:]}"
        return self

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        """SIGTERM; ocellus must drain and exit within 2 s (generous bound here) with status 0."""
        if self in Server.running:
            Server.running.remove(self)
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"ocellus did not stop on SIGTERM\n{self.log_text()[-4000:]}")
        self.log.close()
        return code


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report ends with the last lines of every running server's log: a failure
    seen once in CI is then explained by what the server said at the time."""
    report = (yield).get_result()
    if report.when == "call" and report.failed:
        for s in Server.running:
            tail = "".join(s.log_text().splitlines(keepends=True)[-80:])
            report.sections.append((f"ocellus log, last 80 lines ({s.log_path})", tail))


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(config=None, env=None, start=True):
        s = Server(tmp_path / f"s{len(servers)}", config, env)
        s.dir.mkdir(parents=True, exist_ok=True)
        servers.append(s)
        return s.start() if start else s

    yield make
    for s in servers:
        code = s.stop()
        assert code in (0, None), f"ocellus exited with {code}\n{s.log_text()[-4000:]}"


@pytest.fixture
def server(make_server):
    return make_server()


@pytest.fixture(scope="module")
def make_module_server(tmp_path_factory):
    """make_server for a module-scoped fixture: servers that several tests of a module share."""
    servers = []

    def make(config=None, env=None, start=True):
        s = Server(tmp_path_factory.mktemp("srv"), config, env)
        servers.append(s)
        return s.start() if start else s

    yield make
    for s in servers:
        code = s.stop()
        assert code in (0, None), f"ocellus exited with {code}\n{s.log_text()[-4000:]}"


@pytest.fixture(scope="module")
def srv(make_module_server):
    """One server shared by a module's API tests, its HTTP port ready."""
    return make_module_server().wait_http()


@pytest.fixture(scope="module")
def admin(srv):
    """An API client logged in as the bootstrap admin of `srv`."""
    from lib.api_client import Api
    return Api.as_user(srv)


def ffprobe_run(url, *args, timeout=30):
    """Runs ffprobe on url (JSON, streams plus whatever args ask for); the CompletedProcess."""
    cmd = ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def ffprobe(url, *args, timeout=30):
    """ffprobe's JSON description of the streams at url."""
    out = ffprobe_run(url, *args, timeout=timeout)
    assert out.returncode == 0, f"ffprobe failed: {out.stderr}"
    return json.loads(out.stdout)


def codecs(probe, kind=None):
    """codec_name of each stream in an ffprobe answer (only codec_type == kind if given)."""
    return [s["codec_name"] for s in probe["streams"] if kind is None or s["codec_type"] == kind]


def ffmpeg_count_frames(url, frames=90, transport="tcp", timeout=60):
    """Reads `frames` video frames with ffmpeg and returns how many it decoded."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-rtsp_transport", transport, "-i", url,
           "-map", "0:v:0", "-frames:v", str(frames), "-f", "framemd5", "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"ffmpeg failed: {out.stderr}"
    return sum(1 for line in out.stdout.splitlines() if line and not line.startswith("#"))


@pytest.fixture
def procs(tmp_path):
    """Background client processes (ffmpeg readers and publishers...), each logging to a file in
    tmp_path; whatever a test leaves running is killed after it."""
    p = Processes(tmp_path / "procs")
    yield p
    p.stop_all()


@pytest.fixture
def fake_camera(tmp_path):
    """Starts fake IP cameras (tests/e2e/lib/fake_camera.py): fake_camera(codec=..., user=...)."""
    cameras = []

    def make(port=None, **options):
        cam = FakeCamera(tmp_path / f"cam{len(cameras)}", port or free_port(), **options)
        cameras.append(cam)
        return cam.start()

    yield make
    for cam in cameras:
        cam.stop()


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


def make_clip(folder, name, video="h264", audio=None, seconds=5, fps=25, size="640x360", gop=25):
    """A short pre-encoded clip made with ffmpeg's lavfi testsrc2 (cached by name in folder):
    video h264 | h265 | vp8 | vp9 (name it .webm), audio None | aac | opus. Returns its path."""
    path = pathlib.Path(folder) / name
    if path.exists():
        return path
    cmd = ["ffmpeg", "-hide_banner", "-v", "error", "-y",
           "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    if video == "h264":
        cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(gop),
                "-bf", "0", "-pix_fmt", "yuv420p"]
    elif video in ("vp8", "vp9"):
        cmd += ["-c:v", "libvpx" if video == "vp8" else "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                "-g", str(gop), "-b:v", "500k", "-pix_fmt", "yuv420p"]
    else:
        cmd += ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", f"keyint={gop}:bframes=0:log-level=error",
                "-pix_fmt", "yuv420p"]
    if audio == "aac":
        cmd += ["-c:a", "aac", "-b:a", "64k", "-ac", "2"]
    elif audio == "opus":
        cmd += ["-c:a", "libopus", "-b:a", "64k", "-ac", "2"]
    tmp = path.with_name("tmp-" + path.name)
    subprocess.run(cmd + [str(tmp)], check=True, timeout=120)
    tmp.rename(path)
    return path
