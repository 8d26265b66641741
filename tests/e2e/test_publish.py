"""Publishing to Ocellus's RTSP server with ffmpeg (ANNOUNCE/RECORD) over UDP and TCP, reading
the stream back, several codecs, and the rules that refuse a publisher."""

import signal
import subprocess
import time

import pytest

from conftest import codecs, ffmpeg_count_frames, ffprobe, free_port, make_clip, wait_until

CLIP_SECONDS = 6
CLIP_FPS = 25
CLIP_FRAMES = CLIP_SECONDS * CLIP_FPS


def wait_publishing(server, path, pub, timeout=20):
    wait_until(lambda: f"publishing '{path}'" in server.log_text() or not pub.running(), timeout=timeout,
               what=f"a publisher on '{path}'")
    assert pub.running(), f"publisher ended:\n{pub.text()}"


def publish_once(url, clip, timeout=30, transport=None):
    """Runs an ffmpeg publisher that is expected to be refused; its CompletedProcess."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-re", "-i", str(clip), "-map", "0",
           "-c", "copy", "-f", "rtsp"] + (["-rtsp_transport", transport] if transport else []) + [url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("transport", [None, "tcp"], ids=["udp", "tcp"])
def test_publish_and_read_back_a_finite_clip(server, procs, media_dir, transport):
    """A 6 s, 150-frame clip published in real time: a reader that joins once publishing has begun
    gets the same codec and size, and a frame count between what it can have missed (it starts at
    the GOP cache's keyframe, one a second) and the whole clip; it ends when the publisher does."""
    clip = make_clip(media_dir, "h264-320x240-6s.mp4", size="320x240", seconds=CLIP_SECONDS, fps=CLIP_FPS)
    path = f"live/{transport or 'udp'}"
    started = time.monotonic()
    pub = procs.publisher(server.url(path), clip, transport=transport, loop=False)
    wait_publishing(server, path, pub)
    reader = procs.spawn("reader", ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-rtsp_transport", "tcp",
                                    "-i", server.url(path), "-map", "0:v:0", "-f", "framemd5", "-"])
    late = time.monotonic() - started
    assert pub.wait(timeout=CLIP_SECONDS + 30) == 0, pub.text()
    assert f"publishing '{path}'" in server.log_text()
    # The publisher's end ends the stream, and the server closes its readers.
    reader.wait(timeout=30)
    frames = sum(1 for line in reader.text().splitlines() if line and not line.startswith("#") and "," in line)
    missed = CLIP_FPS * (int(late) + 2)  # joined `late` s after the publisher began, back to a keyframe
    assert CLIP_FRAMES - missed <= frames <= CLIP_FRAMES, (frames, late, reader.text()[-2000:])
    header = reader.text()
    assert "#codec_id 0: rawvideo" in header and "#dimensions 0: 320x240" in header, header[:500]


@pytest.mark.parametrize("transport", [None, "tcp"], ids=["udp", "tcp"])
def test_published_stream_has_the_publishers_codec_and_size(server, procs, media_dir, transport):
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    pub = procs.publisher(server.url("cam/a"), clip, transport=transport)
    wait_publishing(server, "cam/a", pub)
    probe = ffprobe(server.url("cam/a"))
    [v] = probe["streams"]
    assert (v["codec_name"], v["width"], v["height"]) == ("h264", 320, 240)
    assert ffmpeg_count_frames(server.url("cam/a"), frames=50) == 50
    assert ffmpeg_count_frames(server.url("cam/a"), frames=50, transport="udp") == 50
    assert pub.running(), pub.text()


@pytest.mark.parametrize("audio,container", [("aac", "mp4"), ("opus", "mkv")])
def test_publish_h264_with_audio(server, procs, media_dir, audio, container):
    clip = make_clip(media_dir, f"h264-{audio}.{container}", size="320x240", audio=audio)
    pub = procs.publisher(server.url("av"), clip, transport="tcp")
    wait_publishing(server, "av", pub)
    assert "(2 track(s))" in server.log_text()
    probe = ffprobe(server.url("av"))
    assert codecs(probe, "video") == ["h264"]
    assert codecs(probe, "audio") == [audio]
    [a] = [s for s in probe["streams"] if s["codec_type"] == "audio"]
    assert int(a["sample_rate"]) == 48000 and a["channels"] == 2, a
    # Audio packets really flow, over either transport: 100 audio frames (2 s of AAC or Opus).
    for transport in ("tcp", "udp"):
        cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-rtsp_transport", transport,
               "-i", server.url("av"), "-map", "0:a:0", "-frames:a", "100", "-f", "framemd5", "-"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert sum(1 for line in out.stdout.splitlines() if line and not line.startswith("#")) == 100, transport
    assert ffmpeg_count_frames(server.url("av"), frames=50) == 50


def test_publish_h265(server, procs, media_dir):
    clip = make_clip(media_dir, "h265-320x240.mkv", video="h265", size="320x240")
    pub = procs.publisher(server.url("hevc"), clip, transport="tcp")
    wait_publishing(server, "hevc", pub)
    [v] = ffprobe(server.url("hevc"))["streams"]
    assert (v["codec_name"], v["width"], v["height"]) == ("hevc", 320, 240)
    assert ffmpeg_count_frames(server.url("hevc"), frames=50) == 50


def test_second_publisher_on_a_busy_path_is_refused(server, procs, media_dir):
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    first = procs.publisher(server.url("busy"), clip, transport="tcp", name="first")
    wait_publishing(server, "busy", first)
    for transport in (None, "tcp"):
        out = publish_once(server.url("busy"), clip, transport=transport)
        assert out.returncode != 0, out.stderr
        assert "Server returned 4" in out.stderr, out.stderr  # a 4xx answer, not a crash or hang
    assert "ANNOUNCE rtsp://127.0.0.1:%d/busy → 400 (path 'busy' already has a publisher)" % server.rtsp_port \
        in server.log_text()
    # The first one keeps going, and readers still get its frames.
    assert first.running(), first.text()
    assert ffmpeg_count_frames(server.url("busy"), frames=50) == 50
    assert first.running(), first.text()


def test_paths_rule_refuses_publishing_with_403(make_server, procs, media_dir):
    server = make_server({"paths": {"~^locked/": {"publish": False}}})
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    for transport in (None, "tcp"):
        out = publish_once(server.url("locked/x"), clip, transport=transport)
        assert out.returncode != 0
        assert "403" in out.stderr, out.stderr
    assert "publishing 'locked/x' is not allowed" in server.log_text()
    # Paths the rule does not match accept publishers.
    pub = procs.publisher(server.url("open/x"), clip, transport="tcp")
    wait_publishing(server, "open/x", pub)
    assert ffmpeg_count_frames(server.url("open/x"), frames=30) == 30


@pytest.mark.parametrize("camera_up", [False, True], ids=["camera-down", "camera-up"])
def test_publishing_to_a_pulled_cameras_path_is_refused(make_server, fake_camera, media_dir, camera_up):
    """A camera that the server pulls owns cameras/<id> and its alias, whether it is connected or
    unreachable (then nothing listens at its port)."""
    source = fake_camera().url() if camera_up else f"rtsp://127.0.0.1:{free_port()}/stream"
    server = make_server({"cameras": [{"id": "cam1", "source": source}],
                          "sources": {"reconnect_min_ms": 200, "reconnect_max_ms": 1000}})
    if camera_up:
        wait_until(lambda: "[cameras/cam1] playing" in server.log_text(), what="the camera")
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    for path in ("cameras/cam1", "cam1"):
        out = publish_once(server.url(path), clip, transport="tcp")
        assert out.returncode != 0, path
        assert "403" in out.stderr, (path, out.stderr)
    assert "publishing 'cameras/cam1' is not allowed" in server.log_text()
    if camera_up:  # and the camera's own stream is untouched
        [v] = ffprobe(server.url("cam1"))["streams"]
        assert (v["width"], v["height"]) == (320, 240)
        assert ffmpeg_count_frames(server.url("cam1"), frames=30) == 30


@pytest.mark.parametrize("transport", [None, "tcp"], ids=["udp", "tcp"])
def test_killed_publisher_frees_the_path(server, procs, media_dir, transport):
    """A publisher that dies without TEARDOWN: its readers are told the stream ended (their
    connection closes) and the next publisher gets the path."""
    clip = make_clip(media_dir, "h264-320x240.mp4", size="320x240")
    first = procs.publisher(server.url("crash"), clip, transport=transport, name="first")
    wait_publishing(server, "crash", first)
    reader = procs.reader(server.url("crash"), "tcp")
    wait_until(lambda: reader.frames() >= 30, what="the reader's first frames")
    first.stop(sig=signal.SIGKILL)
    reader.wait(timeout=20)  # the server ends the stream, and with it the reader's connection
    assert "stream 'crash' ended" in server.log_text()
    second = procs.publisher(server.url("crash"), clip, transport=transport, name="second")
    wait_until(lambda: server.log_text().count("publishing 'crash'") == 2 or not second.running(),
               what="the second publisher")
    assert second.running(), second.text()
    assert ffmpeg_count_frames(server.url("crash"), frames=30) == 30
