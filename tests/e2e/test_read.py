"""Reading from Ocellus's RTSP server with real clients (ffprobe, ffmpeg, GStreamer): the demo
camera's codec and size, TCP and UDP delivery, several readers, path aliases, unknown paths and
the GOP cache that makes a new reader start on a keyframe."""

import json
import socket
import time

import pytest

from conftest import codecs, ffmpeg_count_frames, ffprobe, ffprobe_run, make_clip, wait_until
from lib.gst_rtsp import read_track
from lib.rtsp_raw import RawRtsp, receiver_report, udp_pair


def video_stream(probe):
    streams = [s for s in probe["streams"] if s["codec_type"] == "video"]
    assert len(streams) == 1, probe
    return streams[0]


def test_demo_reports_configured_size(make_server):
    server = make_server({"demo": {"width": 320, "height": 240}})
    v = video_stream(ffprobe(server.url("demo")))
    assert v["codec_name"] == "h264"
    assert (v["width"], v["height"]) == (320, 240)
    assert v["r_frame_rate"] == "30/1"


def test_demo_with_shipped_defaults_is_720p_constrained_baseline(make_server):
    server = make_server({"demo": {"width": 1280, "height": 720, "bitrate_kbps": 2000}})
    v = video_stream(ffprobe(server.url("demo")))
    assert v["codec_name"] == "h264"
    assert (v["width"], v["height"]) == (1280, 720)
    assert v["profile"] == "Constrained Baseline"
    assert v["pix_fmt"] == "yuv420p"


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_ffmpeg_reads_90_frames(server, transport):
    assert ffmpeg_count_frames(server.url("demo"), frames=90, transport=transport) == 90
    assert f"playing 'demo' over {transport.upper()}" in server.log_text()


@pytest.mark.parametrize("protocols", ["tcp", "udp"])
def test_gstreamer_reads(server, protocols):
    frames = read_track(server.url("demo"), "video", "rtph264depay ! h264parse ! avdec_h264",
                        enough=lambda buffers: len(buffers) >= 60, protocols=protocols)
    assert len(frames.buffers) == 60, frames.errors
    assert frames.caps.startswith("video/x-raw") and "width=(int)640" in frames.caps and \
        "height=(int)360" in frames.caps, frames.caps
    assert f"playing 'demo' over {protocols.upper()}" in server.log_text()


def test_two_readers_at_once(server, procs):
    a = procs.reader(server.url("demo"), "tcp", name="tcp-reader")
    b = procs.reader(server.url("demo"), "udp", name="udp-reader")
    wait_until(lambda: a.frames() >= 60 and b.frames() >= 60, timeout=40,
               what=f"both readers to decode 60 frames ({a.frames()}, {b.frames()})")
    assert a.running() and b.running(), a.text() + b.text()
    log = server.log_text()
    assert "playing 'demo' over TCP" in log and "playing 'demo' over UDP" in log


def test_trailing_slash_names_the_same_path(server):
    assert codecs(ffprobe(server.url("demo/")), "video") == ["h264"]


def test_camera_alias_and_full_path_serve_the_same_stream(make_server, procs, media_dir):
    """A camera is served at cameras/<id> and at the short alias /<id>; a publisher camera makes
    that testable without a pull source."""
    server = make_server({"cameras": [{"id": "door", "source": "publisher"}]})
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    pub = procs.publisher(server.url("cameras/door"), clip, transport="tcp")
    wait_until(lambda: "publishing 'cameras/door'" in server.log_text() or not pub.running(),
               what="the publisher to start")
    assert pub.running(), pub.text()
    for path in ("door", "cameras/door"):
        v = video_stream(ffprobe(server.url(path)))
        assert (v["codec_name"], v["width"], v["height"]) == ("h264", 320, 240), path
    assert ffmpeg_count_frames(server.url("door"), frames=30) == 30
    assert "no stream" not in server.log_text()


def test_unknown_path_is_404(server):
    out = ffprobe_run(server.url("nope"))
    assert out.returncode != 0
    assert "404" in out.stderr, out.stderr
    wait_until(lambda: "→ 404 (no stream is published on path 'nope')" in server.log_text(),
               timeout=5, what="the 404 in the server log")


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_new_reader_starts_on_a_keyframe(server, transport):
    """The GOP cache hands a new reader the last keyframe and what followed, so its first packet
    is a keyframe (the demo sends one a second: a reader joining at a random moment without the
    cache would almost always start on a P frame). Three probes join at different moments."""
    for attempt in range(3):
        out = ffprobe_run(server.url("demo"), "-rtsp_transport", transport, "-select_streams", "v",
                          "-show_packets", "-show_frames", "-read_intervals", "%+#1", timeout=20)
        assert out.returncode == 0, out.stderr
        # With both -show_packets and -show_frames, ffprobe lists them together in read order.
        items = json.loads(out.stdout)["packets_and_frames"]
        packets = [i for i in items if i["type"] == "packet"]
        frames = [i for i in items if i["type"] == "frame"]
        assert packets and frames, items
        assert packets[0]["flags"].startswith("K"), (attempt, packets[0])
        assert frames[0]["key_frame"] == 1, (attempt, frames[0])
        assert frames[0]["pict_type"] == "I", (attempt, frames[0])


def test_demo_is_there_as_soon_as_the_port_accepts(make_server):
    """A client started together with the server (a service manager, a script) must not get 404 for a
    configured path. A 4K demo makes the encoder's start-up long enough to see the gap every time."""
    server = make_server({"demo": {"width": 3840, "height": 2160, "bitrate_kbps": 8000}}, start=False).launch()
    conn = wait_until(lambda: connect_or_none(server.rtsp_port) or server.proc.poll() is not None,
                      interval=0.001, what="the RTSP port")
    assert conn is not True, server.log_text()
    with conn:
        r = conn.request("DESCRIBE", server.url("demo"))
    # Let start-up finish first: a SIGTERM before the server handles signals would kill it.
    wait_until(server.ready, what="the start-up banner")
    assert r.status == 200, r


def connect_or_none(port):
    try:
        return RawRtsp(port, timeout=10)
    except OSError:
        return None


def play_udp(conn, url):
    """DESCRIBE, SETUP over UDP and PLAY on a raw connection; (session, rtp socket, rtcp socket,
    the server's RTCP address)."""
    rtp, rtcp = udp_pair()
    port = rtp.getsockname()[1]
    assert conn.request("DESCRIBE", url).status == 200
    r = conn.request("SETUP", url + "/trackID=0", {"Transport": f"RTP/AVP;unicast;client_port={port}-{port + 1}"})
    assert r.status == 200, r
    transport = r.header("Transport")
    server_rtcp = int(transport.split("server_port=")[1].split(";")[0].split("-")[1])
    session = r.header("Session").split(";")[0]
    assert conn.request("PLAY", url, {"Session": session}).status == 200
    return session, rtp, rtcp, ("127.0.0.1", server_rtcp)


def packets_within(sock, seconds):
    """How many datagrams arrive on sock within `seconds`."""
    count, deadline = 0, time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            sock.recv(2048)
            count += 1
        except socket.timeout:
            break
    return count


def test_udp_reader_kept_alive_by_rtcp_alone(make_server):
    """A UDP player that only sends RTCP receiver reports (as live555-based players and many
    cameras' NVRs do) must not be timed out: RFC 2326 §12.37 counts RTCP as liveness."""
    server = make_server({"rtsp": {"session_timeout_seconds": 5}})
    with RawRtsp(server.rtsp_port) as conn:
        _, rtp, rtcp, server_rtcp = play_udp(conn, server.url("demo"))
        with rtp, rtcp:
            began = time.monotonic()
            while time.monotonic() - began < 8:  # past the 5 s session timeout
                rtcp.sendto(receiver_report(), server_rtcp)
                assert packets_within(rtp, 0.5) > 0, \
                    f"RTP stopped after {time.monotonic() - began:.1f} s:\n{server.log_text()[-1500:]}"
            assert "session timed out" not in server.log_text()


def test_silent_udp_reader_times_out(make_server):
    """A UDP player that sends nothing is dropped after rtsp.session_timeout_seconds, and the
    server stops sending to its ports."""
    server = make_server({"rtsp": {"session_timeout_seconds": 5}})
    with RawRtsp(server.rtsp_port) as conn:
        _, rtp, rtcp, _ = play_udp(conn, server.url("demo"))
        played = time.monotonic()  # the server saw its last request just before this
        with rtp, rtcp:
            assert packets_within(rtp, 1) > 0
            assert conn.closed_by_peer(timeout=15)
            # Checked once a second: closed 5 to 6 s after the PLAY (slack for a busy machine).
            assert 4.8 <= time.monotonic() - played <= 9, time.monotonic() - played
            assert "session timed out" in server.log_text()
            while packets_within(rtp, 0.2):  # what was in flight
                pass
            assert packets_within(rtp, 1) == 0


def test_pause_and_play_again(server):
    with RawRtsp(server.rtsp_port) as conn:
        session, rtp, rtcp, _ = play_udp(conn, server.url("demo"))
        with rtp, rtcp:
            assert packets_within(rtp, 1) > 0
            assert conn.request("PAUSE", server.url("demo"), {"Session": session}).status == 200
            while packets_within(rtp, 0.2):
                pass
            assert packets_within(rtp, 1) == 0
            r = conn.request("PLAY", server.url("demo"), {"Session": session})
            assert r.status == 200 and "seq=" in r.header("RTP-Info"), r
            assert packets_within(rtp, 1) > 0
            assert conn.request("TEARDOWN", server.url("demo"), {"Session": session}).status == 200
            while packets_within(rtp, 0.2):
                pass
            assert packets_within(rtp, 1) == 0
