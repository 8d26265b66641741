"""The ocellus process: stopping on signals with clients connected, --version, config checks,
environment overrides, and media access control (auth.anonymous_media, auth.users)."""

import base64
import re
import signal
import subprocess
import time

import pytest

from conftest import BIN, ROOT, codecs, ffmpeg_count_frames, ffprobe, ffprobe_run, free_port, make_clip, \
    port_open, wait_until
from lib.rtsp_raw import RawRtsp


def run_bin(*args, env=None, timeout=20, cwd=None):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_within_2s_with_clients_connected(server, procs, media_dir, sig):
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    pub = procs.publisher(server.url("pub"), clip, transport="tcp")
    wait_until(lambda: "publishing 'pub'" in server.log_text() or not pub.running(), what="the publisher")
    readers = [procs.reader(server.url("demo"), "tcp", name="demo-tcp"),
               procs.reader(server.url("demo"), "udp", name="demo-udp"),
               procs.reader(server.url("pub"), "tcp", name="pub-tcp")]
    wait_until(lambda: all(r.frames() >= 30 for r in readers), timeout=40, what="every reader decoding")
    assert pub.running(), pub.text()

    began = time.monotonic()
    server.signal(sig)
    code = server.proc.wait(timeout=15)
    took = time.monotonic() - began
    assert code == 0, server.log_text()[-3000:]
    assert took < 2.0, f"stopping took {took:.2f} s"
    assert "stopping" in server.log_text() and "stopped" in server.log_text()
    assert not port_open(server.rtsp_port)
    # TCP clients see their connection end and finish by themselves.
    readers[0].wait(timeout=20)
    readers[2].wait(timeout=20)
    pub.wait(timeout=20)


def test_version():
    out = run_bin("--version")
    assert out.returncode == 0, out.stderr
    expected = re.search(r'kVersion = "([^"]+)"', (ROOT / "src/app/Version.h").read_text()).group(1)
    assert out.stdout.strip() == f"ocellus {expected}"


def test_config_check_accepts_the_shipped_file():
    out = run_bin("config", "check", ROOT / "ocellus.yml")
    assert out.returncode == 0, out.stderr
    assert "ok" in out.stdout


def test_config_check_accepts_the_test_config(make_server):
    server = make_server(start=False)
    server.write_config()
    out = run_bin("config", "check", server.config_path)
    assert out.returncode == 0, out.stderr


BAD_CONFIGS = [
    # (file text, what the message must contain)
    ("log:\n  level: info\nrtsp:\n  address: ':8554'\n  adress: ':9554'\n",
     [":5:", "rtsp.adress", "unknown key"]),
    ("threads: 2\nframes: 3\n", [":2:", "frames", "unknown key"]),
    ("demo:\n  enabled: true\n  fps: lots\n", [":3:", "demo.fps", "integer"]),
    ("log:\n  level: loud\n", ["log.level", "loud"]),
    ("cameras:\n  - id: cam1\n    source: rtsp://x/y\n    color: red\n", [":4:", "cameras[0].color", "unknown key"]),
    ("rtsp: [1, 2\n", ["not valid YAML"]),
]


@pytest.mark.parametrize("text,expected", BAD_CONFIGS, ids=["nested-key", "top-key", "type", "value", "camera-key",
                                                            "yaml"])
def test_config_check_rejects_a_bad_file(tmp_path, text, expected):
    path = tmp_path / "bad.yml"
    path.write_text(text)
    out = run_bin("config", "check", path)
    assert out.returncode != 0
    for part in expected:
        assert part in out.stderr, (part, out.stderr)
    assert str(path) in out.stderr


def test_bad_config_at_start_exits_with_the_message(tmp_path):
    port = free_port()
    path = tmp_path / "ocellus.yml"
    path.write_text(f"rtsp:\n  address: '127.0.0.1:{port}'\n  transport: [tcp]\n")
    proc = subprocess.Popen([BIN, "--config", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode != 0
    assert "rtsp.transport" in err and ":3:" in err and "unknown key" in err, err
    assert "is running" not in out


def test_bad_environment_value_at_start_exits_with_the_message(tmp_path, make_server):
    server = make_server(env={"OCELLUS_THREADS": "several"}, start=False)
    server.write_config()
    out = subprocess.run([BIN, "--config", str(server.config_path)], capture_output=True, text=True, timeout=20,
                         env=server.env, cwd=server.dir)
    assert out.returncode != 0
    assert "threads" in out.stderr and "integer" in out.stderr, out.stderr


def test_a_port_in_use_at_start_exits_cleanly_with_the_address(make_server):
    # Everything before the HTTP listener has started (media loops, RTSP, the demo camera): a
    # failed start must stop it all and exit 1 with the reason, not crash on the way out.
    server = make_server(start=False)
    server.config["http"]["address"] = server.config["rtsp"]["address"]
    server.write_config()
    out = subprocess.run([BIN, "--config", str(server.config_path)], capture_output=True, text=True, timeout=20,
                         env=server.env, cwd=server.dir)
    assert out.returncode == 1, (out.returncode, out.stderr[-2000:])
    assert "cannot listen for HTTP on " + server.config["rtsp"]["address"] in out.stderr, out.stderr[-2000:]
    assert "Address already in use" in out.stderr


def test_environment_overrides_the_rtsp_address(make_server):
    server = make_server(start=False)
    old_port, new_port = server.rtsp_port, free_port()
    server.env["OCELLUS_RTSP_ADDRESS"] = f"127.0.0.1:{new_port}"
    server.rtsp_port = new_port  # start() waits for this port
    server.start()
    assert codecs(ffprobe(server.url("demo")), "video") == ["h264"]
    assert not port_open(old_port)
    assert f"listening on 127.0.0.1:{new_port}" in server.log_text()


def test_environment_overrides_lists_and_nested_keys(make_server):
    server = make_server(env={"OCELLUS_RTSP_TRANSPORTS": "[tcp]", "OCELLUS_DEMO_PATH": "elsewhere"})
    assert ffmpeg_count_frames(server.url("elsewhere"), frames=30, transport="tcp") == 30
    out = ffprobe_run(server.url("elsewhere"), "-rtsp_transport", "udp")
    assert out.returncode != 0 and "461" in out.stderr, out.stderr
    assert ffprobe_run(server.url("demo")).returncode != 0


AUTH = {"auth": {"anonymous_media": "none",
                 "users": [{"username": "u", "password": "p", "read": True},
                           {"username": "pub", "password": "pw", "read": True, "publish": True}]}}


def with_user(server, path, user, password):
    return server.url(path).replace("rtsp://", f"rtsp://{user}:{password}@")


def test_anonymous_none_needs_credentials(make_server):
    server = make_server(AUTH)
    out = ffprobe_run(server.url("demo"))
    assert out.returncode != 0 and "401" in out.stderr, out.stderr
    # ffmpeg answers the Digest challenge (it logs the requests it sends at trace level).
    out = ffprobe_run(with_user(server, "demo", "u", "p"), "-loglevel", "trace")
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Authorization: Digest " in out.stderr
    assert ffmpeg_count_frames(with_user(server, "demo", "u", "p"), frames=30) == 30
    for user, password in (("u", "wrong"), ("nobody", "p")):
        out = ffprobe_run(with_user(server, "demo", user, password))
        assert out.returncode != 0 and "401" in out.stderr, (user, out.stderr)
    assert "authentication failed on 'demo'" in server.log_text()


def test_challenges_and_basic_credentials_on_a_raw_socket(make_server):
    server = make_server(AUTH)
    url = server.url("demo")
    with RawRtsp(server.rtsp_port) as c:
        r = c.request("DESCRIBE", url)
        assert r.status == 401, r
        challenges = r.headers.get("www-authenticate", [])
        assert any(ch.startswith("Digest ") and "nonce=" in ch and 'realm="' in ch for ch in challenges), challenges
        assert any(ch.startswith("Basic ") for ch in challenges), challenges
        bad = base64.b64encode(b"u:nope").decode()
        assert c.request("DESCRIBE", url, {"Authorization": f"Basic {bad}"}).status == 401
        good = base64.b64encode(b"u:p").decode()
        r = c.request("DESCRIBE", url, {"Authorization": f"Basic {good}"})
        assert r.status == 200 and b"m=video" in r.body, r


def test_user_without_publish_right_cannot_publish(make_server, media_dir, procs):
    server = make_server(AUTH)
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-re", "-i", str(clip), "-c", "copy",
           "-f", "rtsp", "-rtsp_transport", "tcp"]
    for user, password in (("u", "p"), (None, None)):
        url = with_user(server, "x", user, password) if user else server.url("x")
        out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=30)
        assert out.returncode != 0 and "401" in out.stderr, (user, out.stderr)
    assert "user 'u' may not do this" in server.log_text()
    pub = procs.publisher(with_user(server, "x", "pub", "pw"), clip, transport="tcp")
    wait_until(lambda: "publishing 'x'" in server.log_text() or not pub.running(), what="the allowed publisher")
    assert pub.running(), pub.text()
    assert ffmpeg_count_frames(with_user(server, "x", "u", "p"), frames=30) == 30


def test_loopback_default_reads_without_credentials(server):
    """auth.anonymous_media defaults to loopback: local tools read with no setup."""
    assert ffmpeg_count_frames(server.url("demo"), frames=15) == 15
    assert "authentication failed" not in server.log_text()


def test_sighup_with_a_broken_config_keeps_running(server, procs):
    reader = procs.reader(server.url("demo"), "tcp")
    wait_until(lambda: reader.frames() >= 15, what="the reader's first frames")
    good = server.config_path.read_text()
    server.config_path.write_text(good.rstrip().rstrip("}") + ', "cameras": [{"id": "x", "source": "ftp://nope"}]}')
    server.signal(signal.SIGHUP)
    wait_until(lambda: "reload refused, keeping the running configuration" in server.log_text(), what="the refusal")
    assert "cameras[0].source" in server.log_text()
    target = reader.frames() + 30
    wait_until(lambda: reader.frames() >= target, what="the reader to go on")
    assert server.proc.poll() is None and reader.running()
    # A fixed file is taken on the next SIGHUP.
    server.config_path.write_text(good)
    server.signal(signal.SIGHUP)
    wait_until(lambda: "configuration reloaded: 0 camera(s)" in server.log_text(), what="the reload")
