"""VP8 and VP9 passed through: ffmpeg publishes them over RTSP, ffprobe and ffmpeg read them back
over RTSP, aiortc decodes VP8 over WHEP, a camera of either has snapshots; readers that cannot
carry them refuse clearly."""
import asyncio

import pytest
import requests

from conftest import codecs, ffmpeg_count_frames, ffprobe, make_clip, wait_until
from lib.api_client import Api
from lib.whep_client import play


def publish(server, procs, media_dir, codec, path):
    clip = make_clip(media_dir, f"{codec}-320x240.webm", video=codec, size="320x240")
    # FFmpeg 5.1 packetizes VP9 only with -strict experimental (its RTP muxer has no AV1 at all).
    pub = procs.spawn("publisher", ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-re", "-stream_loop", "-1",
                                    "-i", str(clip), "-c", "copy", "-strict", "experimental", "-f", "rtsp",
                                    "-rtsp_transport", "tcp", server.url(path)])
    wait_until(lambda: f"publishing '{path}'" in server.log_text() or not pub.running(), what=f"{path} published")
    assert pub.running(), pub.text()
    return pub


@pytest.mark.parametrize("codec", ["vp8", "vp9"])
def test_rtsp_publish_and_read_back(server, procs, media_dir, codec):
    publish(server, procs, media_dir, codec, f"live/{codec}")
    probe = ffprobe(server.url(f"live/{codec}"), "-rtsp_transport", "tcp")
    assert codecs(probe, "video") == [codec]
    # A reader starts at a key frame (GOP cache) and decodes every frame after it.
    assert ffmpeg_count_frames(server.url(f"live/{codec}"), frames=50) == 50


def test_aiortc_decodes_vp8_over_whep(server, procs, media_dir):
    publish(server, procs, media_dir, "vp8", "live/webrtc")
    frames, r = asyncio.run(play(server.http("/live/webrtc/whep"), frames=40))
    assert len(frames) == 40
    assert (frames[-1].width, frames[-1].height) == (320, 240)
    assert "VP8/90000" in r.text


def test_readers_that_cannot_carry_vp8_say_so(server, procs, media_dir):
    publish(server, procs, media_dir, "vp8", "live/other")
    r = requests.get(server.http("/live/other/index.m3u8"), timeout=60)
    assert r.status_code == 503, r.text
    assert "cannot be packaged" in r.text and "fMP4" in r.text, r.text


@pytest.mark.parametrize("codec", ["vp8", "vp9"])
def test_snapshot_of_a_vp8_or_vp9_camera(make_server, procs, media_dir, tmp_path, codec):
    s = make_server({"cameras": [{"id": "cam", "source": "publisher"}]}).wait_http()
    publish(s, procs, media_dir, codec, "cameras/cam")
    r = Api.as_user(s).get("/cameras/cam/snapshot.jpg")
    assert r.status_code == 200 and r.content[:2] == b"\xff\xd8", r.text[:500]
    jpeg = tmp_path / "snapshot.jpg"
    jpeg.write_bytes(r.content)
    assert [(v["codec_name"], v["width"], v["height"]) for v in ffprobe(str(jpeg))["streams"]] == [("mjpeg", 320, 240)]
