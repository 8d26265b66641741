"""SRT publish/read (libsrt listener, stream ids, credentials, passphrase) and udp:// MPEG-TS
cameras, unicast with KLV (STANAG 4609 / MISB ST 0601), recorded with its KLV track, and
multicast, with real FFmpeg, GStreamer and ffprobe."""

import socket
import subprocess
import threading

import pytest

from conftest import codecs, ffmpeg_count_frames, ffprobe, ffprobe_run, free_port, wait_until
from lib.api_client import Api, iso, ok
from lib.gst_rtsp import read_track
from lib.klv_ts import SAMPLE_FIELDS, make as make_klv_ts, misb0601, send as send_klv_ts
from lib.mp4_boxes import read_movie, tree, uri_of
from lib.netns import loopback_namespace

UAS_KEY = bytes.fromhex("060e2b34020b01010e01030101000000")


def ts_publisher(procs, url, name="srt-publisher", seconds=None, audio=True, size="320x240"):
    """ffmpeg encoding a live test pattern (+ AAC) and sending MPEG-TS over SRT or UDP to url."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-re",
           "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=15"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    if seconds:
        cmd += ["-t", str(seconds)]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p"]
    if audio:
        cmd += ["-c:a", "aac", "-b:a", "64k"]
    return procs.spawn(name, cmd + ["-f", "mpegts", url + ("&" if "?" in url else "?") + "pkt_size=1316"])


def wait_path(server, path, timeout=20):
    wait_until(lambda: ffprobe_run(server.url(path), timeout=10).returncode == 0, timeout=timeout,
               what=f"'{path}' to be readable over RTSP")


def test_srt_publish_is_read_over_rtsp_and_srt(server, procs):
    ts_publisher(procs, server.srt_url("publish:srtcam"))
    wait_path(server, "srtcam")
    probe = ffprobe(server.url("srtcam"))
    assert sorted(codecs(probe)) == ["aac", "h264"]
    video = [s for s in probe["streams"] if s["codec_type"] == "video"][0]
    assert (video["width"], video["height"]) == (320, 240)
    # Read back over SRT: MPEG-TS muxed once per reader from the shared units.
    probe = ffprobe(server.srt_url("read:srtcam"), timeout=30)
    assert sorted(codecs(probe)) == ["aac", "h264"]
    assert ffmpeg_count_frames(server.url("srtcam"), frames=30) == 30
    assert "127.0.0.1 publishes 'srtcam'" in server.log_text()


def test_srt_refusals_name_the_reason(make_server, procs):
    server = make_server({"auth": {"anonymous_media": "none",
                                   "users": [{"username": "cam", "password": "secret-pw", "publish": True}]}})
    cases = [("publish:guarded", "needs credentials"),
             ("publish:guarded:cam:wrong", "wrong credentials"),
             ("play:guarded", "action \"play\""),
             ("#!::m=publish", "no r=")]
    for stream_id, reason in cases:
        out = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=5",
                              "-t", "1", "-c:v", "libx264", "-f", "mpegts", server.srt_url(stream_id, connect_timeout=3000000)],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode != 0, f"{stream_id} was accepted"
        wait_until(lambda: reason in server.log_text(), timeout=10, what=f"the refusal of {stream_id} in the log")
    # The right credentials get through.
    ts_publisher(procs, server.srt_url("publish:guarded:cam:secret-pw"), audio=False)
    wait_until(lambda: "127.0.0.1 publishes 'guarded'" in server.log_text(), what="the publisher to be admitted")
    with_credentials = server.url("guarded").replace("rtsp://", "rtsp://cam:secret-pw@")
    wait_until(lambda: ffprobe_run(with_credentials, timeout=10).returncode == 0, what="'guarded' to be published")
    # A second publisher of the same path is refused (SRT reject 1409).
    out = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=5",
                          "-t", "1", "-c:v", "libx264", "-f", "mpegts",
                          server.srt_url("publish:guarded:cam:secret-pw", connect_timeout=3000000)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    wait_until(lambda: "'guarded' is already being published" in server.log_text(), what="the conflict in the log")


def test_srt_passphrase_is_required_when_configured(make_server, procs):
    server = make_server({"srt": {"passphrase": "correcthorsebattery"}})
    out = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=5",
                          "-t", "1", "-c:v", "libx264", "-f", "mpegts",
                          server.srt_url("publish:secret", connect_timeout=3000000)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0, "an unencrypted caller got through"
    ts_publisher(procs, server.srt_url("publish:secret", passphrase="correcthorsebattery", pbkeylen=16),
                  audio=False)
    wait_path(server, "secret")
    assert codecs(ffprobe(server.url("secret"))) == ["h264"]


@pytest.fixture(scope="module")
def klv_file(tmp_path_factory):
    return make_klv_ts(tmp_path_factory.mktemp("klv") / "klv.ts", frames=KLV_FRAMES, klv_every=5)


KLV_FRAMES = 300  # 30 s at 10 fps
KLV_SECONDS = KLV_FRAMES / 10


def test_udp_source_with_klv_reaches_rtsp_and_the_api(make_server, klv_file, tmp_path):
    port = free_port(socket.SOCK_DGRAM)
    server = make_server({"cameras": [{"id": "drone", "name": "Drone", "source": f"udp://127.0.0.1:{port}"}]})
    server.wait_http()
    stop = threading.Event()
    sender = threading.Thread(target=send_klv_ts, args=(klv_file, port, KLV_SECONDS, stop, 50), daemon=True)
    sender.start()
    wait_path(server, "cameras/drone")
    probe = ffprobe(server.url("cameras/drone"))
    kinds = sorted(s["codec_type"] for s in probe["streams"])
    assert kinds == ["data", "video"], probe
    # GStreamer depayloads the KLV track (RFC 6597): whole MISB ST 0601 packets.
    reading = read_track(server.url("cameras/drone"), "application", "rtpklvdepay",
                       enough=lambda buffers: sum(map(len, buffers)) >= len(UAS_KEY))
    klv_bytes = b"".join(reading.buffers)
    assert klv_bytes.startswith(UAS_KEY), (klv_bytes[:64], reading.errors)
    # SRT readers get it too, as its own MPEG-TS stream (KLVA registration).
    probe = ffprobe(server.srt_url("read:cameras/drone"), timeout=30)
    assert sorted((s["codec_type"], s.get("codec_name")) for s in probe["streams"]) == \
        [("data", "klv"), ("video", "h264")], probe
    # The MISB fields in the API (values from klv_ts.py's two packets).
    api = Api.as_user(server)

    def klv():
        r = api.get("/cameras/drone")
        assert r.status_code == 200, r.text
        return (r.json().get("metadata") or {}).get("klv")

    wait_until(lambda: klv() is not None, what="KLV metadata in the API")
    fields = klv()
    assert fields["mission_id"] == "OCELLUS"
    assert fields["platform_heading"] == pytest.approx(90.0, abs=0.01) or \
        fields["platform_heading"] == pytest.approx(91.5, abs=0.01)
    assert fields["sensor_latitude"] == pytest.approx(48.8566, abs=0.0002)
    assert fields["sensor_longitude"] == pytest.approx(2.3522, abs=0.0002)
    assert fields["precision_time_stamp"].startswith("2023-11-14T22:13:20")
    # The junk datagrams cost nothing but themselves: the video keeps decoding.
    assert ffmpeg_count_frames(server.url("cameras/drone"), frames=20) == 20
    stop.set()
    sender.join(timeout=10)


# The URI of a KLV track's URIMetaSampleEntry: the UAS local set's universal key as a SMPTE UL URN.
KLV_URI = "urn:smpte:ul:060E2B34.020B0101.0E010301.01000000"


def describe(movie):
    return [(t.track_id, t.handler, t.sample_entry.type if t.sample_entry else None, len(t.samples))
            for t in movie.tracks.values()]


def video_and_klv_tracks(movie, what):
    """The avc1 video track and the KLV track of a recorded file, after checking how the KLV track
    is described (ISO/IEC 14496-12 §12.3: a 'meta' handler, an nmhd, a 'urim' sample entry)."""
    videos = [t for t in movie.tracks.values() if t.handler == "vide"]
    assert [t.sample_entry.type for t in videos] == ["avc1"], f"{what}: not one avc1 video track: {describe(movie)}"
    klvs = [t for t in movie.tracks.values() if t.handler == "meta"]
    assert klvs, f"{what}: no KLV track (no hdlr 'meta'); tracks (id, handler, entry, samples): {describe(movie)}"
    assert len(klvs) == 1, f"{what}: {len(klvs)} 'meta' tracks: {describe(movie)}"
    klv = klvs[0]
    assert klv.media_header == "nmhd", f"{what}: the KLV track's minf has {klv.media_header!r}, not 'nmhd'"
    entries = [e.type for e in klv.sample_entries]
    assert entries == ["urim"], f"{what}: the KLV track's stsd holds {entries}, not one 'urim'"
    assert uri_of(klv.sample_entry) == KLV_URI, \
        f"{what}: the urim entry's 'uri ' is {uri_of(klv.sample_entry)!r} (children {list(klv.sample_entry.children)})"
    assert klv.timescale == 90000, f"{what}: the KLV track's mdhd timescale is {klv.timescale}"
    return videos[0], klv


def assert_klv_samples(video, klv, what):
    """Each KLV sample is one of klv_ts.py's two MISB ST 0601 packets, whole; they alternate as
    sent; about two per second of video; decode times increase and lie within the video's."""
    packets = [misb0601(fields) for fields in SAMPLE_FIELDS]
    for i, s in enumerate(klv.samples):
        assert s.data in packets, (f"{what}: KLV sample {i} ({len(s.data)} bytes, starts with the UAS key: "
                                   f"{s.data.startswith(UAS_KEY)}) is neither packet sent "
                                   f"({[len(p) for p in packets]} bytes): {s.data[:48].hex()}")
    kinds = [packets.index(s.data) for s in klv.samples]
    repeats = [i for i in range(1, len(kinds)) if kinds[i] == kinds[i - 1]]
    assert not repeats, f"{what}: KLV samples do not alternate (the same packet twice at {repeats}): {kinds}"
    start, end = video.span()
    expected = 2 * (end - start)  # one packet every 5 frames at 10 fps
    assert abs(len(klv.samples) - expected) <= 2, \
        f"{what}: {len(klv.samples)} KLV samples for {end - start:.2f} s of video (~{expected:.0f} expected)"
    times = [s.decode_time for s in klv.samples]
    backwards = [i for i in range(1, len(times)) if times[i] <= times[i - 1]]
    assert not backwards, f"{what}: KLV decode times do not increase at samples {backwards}: {times}"
    first, last = times[0] / klv.timescale, times[-1] / klv.timescale
    assert start - 0.5 <= first and last <= end + 0.5, \
        f"{what}: KLV samples span {first:.3f}-{last:.3f} s, outside the video's {start:.3f}-{end:.3f} s"


def test_udp_source_with_klv_is_recorded(make_server, klv_file):
    """A recording of a udp:// camera keeps its KLV track: fragmented MP4 with a 'urim' track
    whose samples are the KLV units as received; the file plays and exports with it."""
    port = free_port(socket.SOCK_DGRAM)
    # 10 s is the shortest segment the configuration takes; the file sent lasts 30 s.
    server = make_server({
        "demo": {"enabled": False},
        "cameras": [{"id": "drone", "name": "Drone", "source": f"udp://127.0.0.1:{port}", "record": "continuous"}],
        "recording": {"segment_seconds": 10, "fragment_ms": 1000}}).wait_http()
    stop = threading.Event()
    sender = threading.Thread(target=send_klv_ts, args=(klv_file, port, KLV_SECONDS, stop), daemon=True)
    sender.start()
    try:
        wait_path(server, "cameras/drone")
        api = Api.as_user(server)

        def complete():
            listed = ok(api.get("/recordings", params={"camera": "drone", "kind": "segment", "limit": 100}))
            return sorted((r for r in listed["recordings"] if r["complete"]), key=lambda r: r["start_ms"])

        rec = wait_until(complete, timeout=60, interval=0.5, what="a complete recording of 'drone'")[0]
        path = server.data_dir / "recordings" / rec["filename"]
        data = path.read_bytes()
        what = f"recording {rec['filename']}"
        movie = read_movie(data)
        assert movie.fragments > 0, f"{what}: no fragments: {tree(data)}"
        video, klv = video_and_klv_tracks(movie, what)
        assert_klv_samples(video, klv, what)

        # ffprobe still opens it: the video as before, the KLV track as a data stream.
        streams = ffprobe(str(path))["streams"]
        assert [s["codec_name"] for s in streams if s["codec_type"] == "video"] == ["h264"], streams
        print("ffprobe's data streams:", [{k: s.get(k) for k in ("index", "codec_type", "codec_name", "codec_tag_string")}
                                           for s in streams if s["codec_type"] == "data"])

        # An export of a span of that file carries the KLV track too.
        r = api.get("/recordings/export", params={"camera": "drone", "from": iso(rec["start_ms"] + 2000),
                                                  "to": iso(rec["end_ms"] - 1000)}, timeout=60)
        assert r.status_code == 200, f"export: {r.status_code} {r.text[:500]}"
        clip = read_movie(r.content)
        video, klv = video_and_klv_tracks(clip, "the export")
        assert_klv_samples(video, klv, "the export")
    finally:
        stop.set()
        sender.join(timeout=10)


@pytest.mark.parametrize("source,says", [
    ("udp://example.org:5000", "IP address"),
    ("udp://127.0.0.1", "HOST:PORT"),
    ("udp://127.0.0.1:5000?interface=127.0.0.1", "multicast"),
    ("udp://239.1.1.1:5000?interface=eth0", "IPv4 address"),
], ids=["hostname", "no-port", "interface-unicast", "interface-name"])
def test_udp_source_validation(srv, source, says):
    r = Api.as_user(srv).post("/cameras", json={"name": "Bad", "source": source})
    assert r.status_code == 400
    assert says in r.json()["error"]["message"]


def multicast_cameras(groups, port):
    return {"cameras": [{"id": name, "name": name, "source": f"udp://{group}:{port}{query}"}
                        for name, (group, query, _) in groups.items()]}


def assert_video_size(server, path, size):
    wait_path(server, path)
    video = ffprobe(server.url(path))["streams"]
    assert [(s["codec_name"], f"{s['width']}x{s['height']}") for s in video] == [("h264", size)], video


# The machine's loopback carries no multicast and groups joined on a real interface would leave
# it: these tests run in a network namespace of their own whose lo does (lib/netns.py).

def test_udp_multicast_sources_each_read_their_own_group(make_server, procs):
    with loopback_namespace(multicast=True):
        # Two groups on one port: a socket bound to the wildcard address would get both streams.
        port = free_port(socket.SOCK_DGRAM)
        groups = {"north": ("239.255.42.1", "", "320x240"), "south": ("239.255.42.2", "", "352x288")}
        server = make_server(multicast_cameras(groups, port))
        for name, (group, _, size) in groups.items():
            ts_publisher(procs, f"udp://{group}:{port}?ttl=1", name=f"sender-{name}", audio=False, size=size)
        for name, (_, _, size) in groups.items():
            assert_video_size(server, f"cameras/{name}", size)
        assert ffmpeg_count_frames(server.url("cameras/south"), frames=20) == 20


def test_udp_multicast_joins_on_the_interface_named(make_server, procs):
    with loopback_namespace(multicast=True, multicast_route=False):
        # No route for the group: only a source naming the interface by its address can join.
        port = free_port(socket.SOCK_DGRAM)
        group = "239.255.42.3"
        groups = {"named": (group, "?interface=127.0.0.1", "320x240"), "routed": (group, "", "320x240")}
        server = make_server(multicast_cameras(groups, port))
        ts_publisher(procs, f"udp://{group}:{port}?ttl=1&localaddr=127.0.0.1", name="sender", audio=False)
        assert_video_size(server, "cameras/named", "320x240")
        assert f"cannot join {group}" in server.log_text()
