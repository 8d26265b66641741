"""The RTMP/RTMPS server with real clients: FFmpeg publishes (-f flv), ffprobe and ffmpeg read
back over RTMP and RTSP, RTSP publishers are read over RTMP, camera stream keys (REST API) with
rotation, RTMPS with a self-signed certificate, and bad input that ends only its own connection.
H.265 and AV1 over Enhanced RTMP, which no client on Debian 12 speaks, are published and played by
our own client (lib/rtmp_client.py), itself checked against FFmpeg on the legacy H.264 path."""

import os
import re
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import codecs, ffprobe, ffprobe_run, free_port, make_clip, wait_until
from lib.api_client import Api, ok
from lib.mp4_boxes import read_movie
from lib.rtmp_client import (AVC_CODEC_ID, CODED_FRAMES, CODED_FRAMES_X, DATA_AMF0, INTER_FRAME, KEY_FRAME,
                             SEQUENCE_START, VIDEO, Player, Publisher, amf0_decode, avc_video_body, ex_video_body,
                             handshake, parse_video_body)

# A live camera: testsrc + a sine tone, H.264 + AAC, one keyframe a second.
LIVE = ["-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
        "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"]


def rtmp_url(server, name, scheme="rtmp", port=None):
    return f"{scheme}://127.0.0.1:{port or server.rtmp_port}/{name}"


def publish(procs, url, name="publisher", extra=()):
    """A live ffmpeg RTMP publisher (runs until stopped)."""
    return procs.spawn(name, ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", *LIVE, *extra, "-f", "flv", url])


def wait_started(server, path, pub, timeout=20):
    wait_until(lambda: f"stream '{path}' started" in server.log_text() or not pub.running(), timeout=timeout,
               what=f"an RTMP stream on '{path}'")
    assert pub.running(), f"publisher ended:\n{pub.text()}"


def decode(url, frames=50, extra=(), timeout=60):
    """Reads `frames` video frames of url with ffmpeg; the number it decoded."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", *extra, "-i", url, "-map", "0:v:0",
           "-frames:v", str(frames), "-f", "framemd5", "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"ffmpeg failed: {out.stderr}"
    return sum(1 for line in out.stdout.splitlines() if line and not line.startswith("#"))


def refused_publish(url, timeout=30):
    """An ffmpeg publisher expected to be refused: its CompletedProcess."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", *LIVE, "-t", "5", "-f", "flv", url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def rtmp_server(make_server):
    s = make_server()
    s.rtmp_port = int(s.config["rtmp"]["address"].rsplit(":", 1)[1])
    return s


def test_ffmpeg_publishes_and_is_read_back_over_rtmp_and_rtsp(rtmp_server, procs):
    s = rtmp_server
    pub = publish(procs, rtmp_url(s, "mystream"))
    wait_started(s, "mystream", pub)
    for url in (rtmp_url(s, "mystream"), s.url("mystream")):
        probe = ffprobe(url)
        assert sorted(codecs(probe)) == ["aac", "h264"], (url, probe)
        [v] = [x for x in probe["streams"] if x["codec_type"] == "video"]
        assert (v["width"], v["height"]) == (320, 240), (url, v)
        [a] = [x for x in probe["streams"] if x["codec_type"] == "audio"]
        assert int(a["sample_rate"]) == 48000, (url, a)
    assert decode(rtmp_url(s, "mystream"), frames=50) == 50
    # The publisher's end ends the stream: the path is free again and readers are told.
    pub.stop()
    wait_until(lambda: "stream 'mystream' ended" in s.log_text(), what="the end of the stream")
    assert ffprobe_run(s.url("mystream")).returncode != 0


def test_app_and_name_map_to_a_path_and_a_second_publisher_is_refused(rtmp_server, procs):
    s = rtmp_server
    pub = publish(procs, rtmp_url(s, "studio/cam1"))
    wait_started(s, "studio/cam1", pub)
    assert codecs(ffprobe(s.url("studio/cam1")), "video") == ["h264"]
    second = refused_publish(rtmp_url(s, "studio/cam1"))
    assert second.returncode != 0
    assert "already publishing" in second.stderr, second.stderr
    assert pub.running()


def test_player_waits_for_a_path_then_gets_stream_not_found(make_server):
    s = make_server({"sources": {"on_demand_start_timeout_seconds": 2}})
    port = int(s.config["rtmp"]["address"].rsplit(":", 1)[1])
    started = time.monotonic()
    out = ffprobe_run(f"rtmp://127.0.0.1:{port}/nobody/here", timeout=30)
    assert out.returncode != 0
    assert time.monotonic() - started >= 1.5  # it waited for a publisher
    assert "no stream on 'nobody/here'" in out.stderr, out.stderr


def test_a_publisher_that_waits_is_served_once_it_comes(rtmp_server, procs):
    """A player that arrives first waits for the path and plays once a publisher starts."""
    s = rtmp_server
    reader = procs.reader(rtmp_url(s, "late"), transport=None)
    wait_until(lambda: "connect app 'late'" in s.log_text(), what="the waiting player")
    pub = publish(procs, rtmp_url(s, "late"))
    wait_started(s, "late", pub)
    wait_until(lambda: reader.frames() >= 25, what="frames for the waiting player")


def test_rtsp_publisher_is_read_over_rtmp_and_opus_is_skipped(rtmp_server, procs, media_dir):
    s = rtmp_server
    clip = make_clip(media_dir, "h264-opus.mkv", audio="opus", size="320x240")
    pub = procs.publisher(s.url("fromrtsp"), clip, transport="tcp")
    wait_until(lambda: "publishing 'fromrtsp'" in s.log_text() or not pub.running(), what="the RTSP publisher")
    probe = ffprobe(rtmp_url(s, "fromrtsp"))
    assert codecs(probe) == ["h264"], probe
    assert "skipping track 1 (opus), which RTMP cannot carry" in s.log_text()
    assert decode(rtmp_url(s, "fromrtsp"), frames=30) == 30


def test_rtsp_h264_aac_publisher_is_read_over_rtmp(rtmp_server, procs, media_dir):
    s = rtmp_server
    clip = make_clip(media_dir, "h264-aac.mp4", audio="aac", size="320x240")
    pub = procs.publisher(s.url("withaac"), clip, transport="tcp")
    wait_until(lambda: "publishing 'withaac'" in s.log_text() or not pub.running(), what="the RTSP publisher")
    assert sorted(codecs(ffprobe(rtmp_url(s, "withaac")))) == ["aac", "h264"]


def test_h265_cannot_be_published_by_ffmpeg_5_over_flv(tmp_path):
    """Debian's FFmpeg 5.1 has no Enhanced RTMP muxer, so our own client publishes H.265 (the
    [h265] case below). If this starts failing, FFmpeg learned hvc1 and can publish it itself."""
    out = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                          "-t", "1", "-c:v", "libx265", "-x265-params", "log-level=error", "-f", "flv",
                          str(tmp_path / "x.flv")], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "not compatible with flv" in out.stderr, out.stderr


def test_camera_stream_key_publish_wrong_key_and_rotation(rtmp_server, procs):
    s = rtmp_server.wait_http()
    admin = Api.as_user(s)
    ok(admin.post("/cameras", {"id": "pushcam", "name": "Push camera", "source": "publisher"}), 201)
    urls = ok(admin.get("/cameras/pushcam/rtmp-url"))
    assert urls["available"] is True
    assert urls["rtmp_url"].startswith(f"rtmp://127.0.0.1:{s.rtmp_port}/live/"), urls
    key = urls["stream_key"]
    assert urls["rtmp_url"].endswith("/" + key) and len(key) >= 16

    pub = publish(procs, urls["rtmp_url"])
    wait_started(s, "cameras/pushcam", pub)
    probe = ffprobe(s.url("cameras/pushcam"))
    assert sorted(codecs(probe)) == ["aac", "h264"], probe
    wait_until(lambda: ok(admin.get("/cameras/pushcam"))["stream_status"] == "online", what="the camera online")

    wrong = refused_publish(rtmp_url(s, "live/" + "0" * len(key)))
    assert wrong.returncode != 0
    assert "unknown or revoked stream key" in wrong.stderr, wrong.stderr
    assert "refused: unknown or revoked stream key" in s.log_text()
    assert key not in s.log_text() and "0" * len(key) not in s.log_text()

    # Rotation: a new key; the publisher with the old one is dropped and the old key refused.
    rotated = ok(admin.post("/cameras/pushcam/rtmp-url/rotate"))
    assert rotated["stream_key"] != key and rotated["rtmp_url"].endswith("/" + rotated["stream_key"])
    assert pub.wait(timeout=20) != 0 or "stream key revoked" in s.log_text()
    wait_until(lambda: "disconnecting its publisher" in s.log_text(), what="the old publisher's disconnection")
    old = refused_publish(urls["rtmp_url"])
    assert old.returncode != 0 and "unknown or revoked stream key" in old.stderr, old.stderr
    again = publish(procs, rotated["rtmp_url"], name="rotated")
    wait_until(lambda: s.log_text().count("stream 'cameras/pushcam' started") >= 2 or not again.running(),
               what="a publish with the new key")
    assert again.running(), again.text()
    assert codecs(ffprobe(s.url("cameras/pushcam")), "video") == ["h264"]


def test_rtmp_url_needs_media_publish(rtmp_server):
    s = rtmp_server.wait_http()
    admin = Api.as_user(s)
    ok(admin.post("/cameras", {"id": "keycam", "name": "Key camera", "source": "publisher"}), 201)
    admin.create_user("watcher", "watcher-pass-1234", "viewer")
    viewer = Api.as_user(s, "watcher", "watcher-pass-1234")
    for r in (viewer.get("/cameras/keycam/rtmp-url"), viewer.post("/cameras/keycam/rtmp-url/rotate")):
        assert r.status_code == 403, r.text
        body = r.json()
        assert body["success"] is False and body["error"]["code"] == "AUTH_INSUFFICIENT_PERMISSIONS", body
    r = admin.post("/cameras/nosuch/rtmp-url/rotate")
    assert r.status_code == 404 and r.json()["error"]["code"] == "CAMERA_NOT_FOUND", r.text


def test_rtmps_with_a_self_signed_certificate(make_server, procs, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    tls_port = free_port()
    s = make_server({"rtmp": {"tls_address": f"127.0.0.1:{tls_port}", "tls_certificate": str(cert),
                              "tls_key": str(key)}})
    assert f"rtmps://127.0.0.1:{tls_port}/mystream" in s.log_text()  # the banner
    pub = publish(procs, f"rtmps://127.0.0.1:{tls_port}/secure", extra=["-tls_verify", "0"])
    wait_started(s, "secure", pub)
    assert "[rtmps 127.0.0.1:" in s.log_text()
    probe = ffprobe(f"rtmps://127.0.0.1:{tls_port}/secure", "-tls_verify", "0")
    assert sorted(codecs(probe)) == ["aac", "h264"], probe
    assert decode(f"rtmps://127.0.0.1:{tls_port}/secure", frames=25, extra=["-tls_verify", "0"]) == 25
    # Plain RTMP on the TLS port is a failed TLS handshake for that connection only.
    with socket.create_connection(("127.0.0.1", tls_port), timeout=5) as c:
        c.sendall(b"\x03" + os.urandom(1536))
        c.settimeout(10)
        assert read_until_closed(c) < 1536
    assert pub.running()


def read_until_closed(sock):
    """Bytes received until the server closes the connection."""
    total = 0
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return total
        if not data:
            return total
        total += len(data)


def test_bad_input_ends_only_its_own_connection(make_server, procs):
    s = make_server({"rtmp": {}})
    port = int(s.config["rtmp"]["address"].rsplit(":", 1)[1])
    pub = publish(procs, f"rtmp://127.0.0.1:{port}/steady")
    wait_started(s, "steady", pub)
    reader = procs.reader(f"rtmp://127.0.0.1:{port}/steady", transport=None)
    wait_until(lambda: reader.frames() >= 10, what="a steady player")

    # Garbage after the handshake: a chunk with a message type 0 and a huge length.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        handshake(c)
        c.sendall(b"\x03" + b"\xff" * 200)
        c.settimeout(10)
        read_until_closed(c)
    # An absurd chunk size: Set Chunk Size 0x7fffffff (over the limit).
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        handshake(c)
        c.sendall(bytes([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0]) + (0x7FFFFFFF).to_bytes(4, "big"))
        c.settimeout(10)
        read_until_closed(c)
    wait_until(lambda: s.log_text().count("bad input, closing") >= 2, what="both bad connections closed")
    assert "chunk size" in s.log_text().lower()
    # A truncated handshake: half a C1, then silence until the handshake timeout (10 s) closes it.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        c.sendall(b"\x03" + bytes(700))
        c.settimeout(30)
        started = time.monotonic()
        assert read_until_closed(c) == 0
        assert 9 <= time.monotonic() - started < 20
    assert "no handshake and connect within 10 s" in s.log_text()
    # A wrong RTMP version: refused at once.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        c.sendall(b"\x09" + bytes(1536))
        c.settimeout(10)
        assert read_until_closed(c) == 0
    before = reader.frames()
    wait_until(lambda: reader.frames() >= before + 25, what="the player still getting frames")
    assert reader.running() and pub.running()
    text = Api.as_user(s.wait_http()).get(s.http("/metrics")).text
    [bad] = [line.split()[-1] for line in text.splitlines() if line.startswith("ocellus_rtmp_bad_requests_total")]
    assert float(bad) >= 3, text


# ---------------------------------------------------------------------------- our own RTMP client

AV01 = b"av01"
OBU_SEQUENCE_HEADER = 1
TEMPORAL_DELIMITER = b"\x12\x00"  # AV1 §5.3: obu_type 2, obu_has_size_field, obu_size 0


def encode_clip(path, codec_args, seconds):
    """A 320x240, 25 fps test pattern encoded by ffmpeg as fragmented MP4 with a keyframe a second;
    its video track as mp4_boxes reads it. delay_moov: libaom gives its sequence header only with
    its first packet, so a moov written before it would hold an empty av1C."""
    cmd = ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
           "-t", str(seconds), *codec_args, "-g", "25", "-pix_fmt", "yuv420p",
           "-movflags", "frag_keyframe+empty_moov+delay_moov", "-f", "mp4", str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    [track] = read_movie(path.read_bytes()).tracks.values()
    return track


def ms(track, ticks):
    return ticks * 1000 // track.timescale


def send_in_real_time(pub, track, body_of):
    """Each sample as a video message stamped with its decode time, sent at that time after the
    first, as a live encoder would."""
    start = time.monotonic()
    for sample in track.samples:
        stamp = ms(track, sample.decode_time)
        time.sleep(max(0.0, start + stamp / 1000 - time.monotonic()))
        pub.send_video(stamp, body_of(sample))


def frame_type(sample):
    return KEY_FRAME if sample.sync else INTER_FRAME


def video_of(messages):
    """(message, parsed body) of each video message."""
    return [(m, parse_video_body(m.body)) for m in messages if m.type_id == VIDEO]


def coded_frames(messages):
    return [(m, b) for m, b in video_of(messages) if b.packet_type in (CODED_FRAMES, CODED_FRAMES_X)]


def wait_started_or_dropped(server, path):
    """The server's "stream '{path}' started" line; fails at once, with the server's reason, when it
    drops what the publisher sent instead."""
    started, dropped = f"stream '{path}' started", f"message(s) of '{path}':"
    wait_until(lambda: started in server.log_text() or dropped in server.log_text(), what=f"'{path}' to start")
    lines = server.log_text().splitlines()
    found = next((line for line in lines if started in line), None)
    assert found, f"'{path}' did not start: " + "; ".join(line for line in lines if dropped in line)
    return found


# What differs between H.264 (legacy AVC, CodecID 7) and H.265 (Enhanced RTMP 'hvc1') over RTMP:
# encoder, decoder configuration box, tag body, and what the server and FFmpeg call the codec.
HVC1 = b"hvc1"
NAL_CODECS = {
    "h264": dict(encoder=["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0"],
                 box="avcC", metadata_id=AVC_CODEC_ID, enhanced=False, codec=AVC_CODEC_ID, server="H264",
                 ffmpeg="h264", body=lambda ft, pt, data, cts=0: avc_video_body(ft, pt, data, cts)),
    "h265": dict(encoder=["-c:v", "libx265", "-x265-params", "log-level=error:bframes=0:keyint=25"],
                 box="hvcC", metadata_id=int.from_bytes(HVC1, "big"), enhanced=True, codec=HVC1, server="H265",
                 ffmpeg="hevc", body=lambda ft, pt, data, cts=None: ex_video_body(ft, pt, HVC1, data, cts)),
}


@pytest.mark.parametrize("name", sorted(NAL_CODECS))
def test_rtmp_client_publishes_what_ffmpeg_reads_over_rtsp_and_plays_it_back(rtmp_server, procs, tmp_path, name):
    """H.264 as legacy AVC, which FFmpeg also speaks, checks lib/rtmp_client.py against a real
    reader; H.265 as Enhanced RTMP 'hvc1', which FFmpeg 5.1 cannot publish, then takes the same
    path. Our publisher sends an ffmpeg-made clip (the decoder configuration record, then each MP4
    sample) in real time; an ffmpeg RTSP reader that joined before the first frame decodes every
    frame, and our player gets the sequence header and every frame with its keyframe flag and
    timestamp."""
    c = NAL_CODECS[name]
    s = rtmp_server
    track = encode_clip(tmp_path / f"{name}.mp4", c["encoder"], seconds=4)
    config = track.sample_entry.children[c["box"]]
    url = rtmp_url(s, f"py{name}")
    md5 = tmp_path / "rtsp.framemd5"
    with Publisher(url) as pub:
        pub.send_metadata({"videocodecid": c["metadata_id"], "width": 320, "height": 240, "framerate": 25})
        pub.send_video(0, c["body"](KEY_FRAME, SEQUENCE_START, config))
        assert f"{c['server']} 320x240" in wait_started_or_dropped(s, f"py{name}")
        reader = procs.spawn("rtsp-reader", ["ffmpeg", "-hide_banner", "-nostats", "-rtsp_transport", "tcp",
                                             "-i", s.url(f"py{name}"), "-map", "0:v:0", "-f", "framemd5", md5])
        wait_until(lambda: f"playing 'py{name}' over TCP" in s.log_text(), what="the RTSP reader")
        with Player(url) as player, ThreadPoolExecutor(1) as sender:
            sending = sender.submit(send_in_real_time, pub, track, lambda x: c["body"](
                frame_type(x), CODED_FRAMES, x.data, cts=ms(track, x.cts_offset)))
            messages = player.read_messages(lambda got: len(coded_frames(got)) >= len(track.samples), timeout=60)
            sending.result()
    # The publisher's end ends the stream, and the server closes its RTSP reader.
    assert reader.wait(timeout=30) == 0, reader.text()
    assert re.search(rf"Stream #0:0: Video: {c['ffmpeg']} .*320x240", reader.text()), reader.text()
    decoded = [line for line in md5.read_text().splitlines() if line and not line.startswith("#")]
    assert len(decoded) == len(track.samples), (len(decoded), len(track.samples))

    [(_, header), *_] = video_of(messages)
    assert (header.enhanced, header.codec, header.packet_type) == (c["enhanced"], c["codec"], SEQUENCE_START), header
    # ISO/IEC 14496-15 §5.3.3.1 and §8.3.3.1: configurationVersion 1, then the profile, compatibility
    # and level fields (avcC: 3 bytes; hvcC: 12, profile space to general_level_idc).
    fields = 4 if name == "h264" else 13
    assert header.data[0] == 1 and header.data[1:fields] == config[1:fields], (header.data.hex(), config.hex())
    frames = coded_frames(messages)
    assert all((b.enhanced, b.codec) == (c["enhanced"], c["codec"]) for _, b in frames)
    assert [b.frame_type for _, b in frames] == [frame_type(x) for x in track.samples]
    assert [m.timestamp for m, _ in frames] == [ms(track, x.decode_time) for x in track.samples]


def test_av1_over_enhanced_rtmp_is_published_and_played(rtmp_server, tmp_path):
    """AV1 over Enhanced RTMP (FourCC 'av01'), which no client on Debian 12 can send. Our publisher
    sends an ffmpeg-made AV1 clip in real time: the av1C as SequenceStart, each MP4 sample (a
    temporal unit of OBUs with sizes, no temporal delimiter) as CodedFrames. Our player gets
    onMetaData naming 'av01', an av1C with the published profile, level and chroma fields and a
    sequence header, then every temporal unit with its keyframe flag and timestamp; ffmpeg decodes
    them (each behind a temporal delimiter, the low-overhead form) one frame each."""
    s = rtmp_server
    track = encode_clip(tmp_path / "av1.mp4", ["-c:v", "libaom-av1", "-usage", "realtime", "-cpu-used", "8"],
                        seconds=3)
    av1c = track.sample_entry.children["av1C"]
    url = rtmp_url(s, "av1cam")
    with Publisher(url) as pub:
        pub.send_metadata({"videocodecid": int.from_bytes(AV01, "big"), "width": 320, "height": 240,
                           "framerate": 25})
        pub.send_video(0, ex_video_body(KEY_FRAME, SEQUENCE_START, AV01, av1c))
        assert "started: AV1" in wait_started_or_dropped(s, "av1cam")
        with Player(url) as player, ThreadPoolExecutor(1) as sender:
            sending = sender.submit(send_in_real_time, pub, track, lambda x: ex_video_body(
                frame_type(x), CODED_FRAMES, AV01, x.data))
            messages = player.read_messages(lambda got: len(coded_frames(got)) >= len(track.samples), timeout=60)
            sending.result()

    # Enhanced RTMP: an enhanced codec's videocodecid is its FourCC as a number.
    data = [amf0_decode(m.body) for m in messages if m.type_id == DATA_AMF0]
    [meta] = [values[1] for values in data if values[0] == "onMetaData"]
    assert meta.get("videocodecid") == int.from_bytes(AV01, "big"), meta
    [(_, header), *_] = video_of(messages)
    assert (header.enhanced, header.codec, header.packet_type) == (True, AV01, SEQUENCE_START), header
    # AV1-ISOBMFF §2.3.3: marker and version (0x81), seq_profile and seq_level_idx_0, tier, bit
    # depth and chroma fields, presentation delay; configOBUs from byte 4, a sequence header first.
    record = header.data
    assert record[0] == 0x81 and record[1:3] == av1c[1:3], (record.hex(), av1c.hex())
    assert len(record) > 4 and record[4] >> 3 & 0x0F == OBU_SEQUENCE_HEADER, record.hex()
    frames = coded_frames(messages)
    assert all(b.enhanced and b.codec == AV01 for _, b in frames), [b.codec for _, b in frames]
    assert [b.frame_type for _, b in frames] == [frame_type(x) for x in track.samples]
    assert [m.timestamp for m, _ in frames] == [ms(track, x.decode_time) for x in track.samples]

    obu = tmp_path / "received.obu"
    obu.write_bytes(b"".join(TEMPORAL_DELIMITER + b.data for _, b in frames))
    out = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-f", "obu", "-i", str(obu), "-f", "framemd5", "-"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    decoded = [line for line in out.stdout.splitlines() if line and not line.startswith("#")]
    assert len(decoded) == len(frames) >= 25, (len(decoded), len(frames))


def test_av1_from_rtmp_is_packaged_for_hls_snapshot_and_recording(make_server, tmp_path):
    """AV1 goes into fMP4 as an 'av01' sample entry with its av1C: LL-HLS serves it (CODECS names
    it, ffprobe reads the playlist), a snapshot decodes it, and the camera's continuous recording
    holds every frame, which FFmpeg decodes."""
    s = make_server({"cameras": [{"id": "av1cam", "source": "publisher", "record": "continuous"}],
                     "recording": {"segment_seconds": 10, "fragment_ms": 1000}}).wait_http()
    s.rtmp_port = int(s.config["rtmp"]["address"].rsplit(":", 1)[1])
    track = encode_clip(tmp_path / "av1.mp4", ["-c:v", "libaom-av1", "-usage", "realtime", "-cpu-used", "8"],
                        seconds=6)
    av1c = track.sample_entry.children["av1C"]
    with Publisher(rtmp_url(s, "cameras/av1cam")) as pub, ThreadPoolExecutor(1) as sender:
        pub.send_metadata({"videocodecid": int.from_bytes(AV01, "big"), "width": 320, "height": 240})
        pub.send_video(0, ex_video_body(KEY_FRAME, SEQUENCE_START, AV01, av1c))
        wait_started_or_dropped(s, "cameras/av1cam")
        sending = sender.submit(send_in_real_time, pub, track, lambda x: ex_video_body(
            frame_type(x), CODED_FRAMES, AV01, x.data))
        # The playlist answers once the first segment is complete.
        index = requests.get(s.http("/cameras/av1cam/index.m3u8"), timeout=30)
        assert index.status_code == 200, index.text
        # AV1 in ISOBMFF §5: av01.<profile>.<level><tier>.<bit depth>, from the published av1C.
        level = av1c[1] & 0x1F
        assert f'CODECS="av01.0.{level:02}M.08"' in index.text, index.text
        probe = ffprobe(s.http("/cameras/av1cam/index.m3u8"))
        assert [(v["codec_name"], v["width"], v["height"]) for v in probe["streams"]] == [("av1", 320, 240)], probe
        # Snapshots decode AV1 too.
        api = Api.as_user(s)
        snapshot = api.get("/cameras/av1cam/snapshot.jpg")
        assert snapshot.status_code == 200 and snapshot.content[:2] == b"\xff\xd8", snapshot.text[:500]
        jpeg = tmp_path / "snapshot.jpg"
        jpeg.write_bytes(snapshot.content)
        assert [(v["width"], v["height"]) for v in ffprobe(str(jpeg))["streams"]] == [(320, 240)]
        sending.result()

    def complete():
        listed = ok(api.get("/recordings", params={"camera": "av1cam", "kind": "segment", "limit": 100}))
        return [r for r in listed["recordings"] if r["complete"]]

    [rec] = wait_until(complete, timeout=60, interval=0.5, what="the recording of 'av1cam' to close")
    path = s.data_dir / "recordings" / rec["filename"]
    [recorded] = read_movie(path.read_bytes()).tracks.values()
    assert recorded.sample_entry.type == "av01" and recorded.sample_entry.children["av1C"][:4] == av1c[:4], \
        recorded.sample_entry
    out = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-i", str(path), "-f", "framemd5", "-"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    decoded = [line for line in out.stdout.splitlines() if line and not line.startswith("#")]
    assert len(decoded) == len(track.samples), (len(decoded), len(track.samples))
