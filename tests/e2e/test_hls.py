"""HLS and Low-Latency HLS on the HTTP port, read by real clients (ffprobe, ffmpeg) and by plain
HTTP for the LL-HLS parts: blocking playlist reload, hinted parts, bad directives, unknown
paths, a protected path read with ?token= that every listed URL carries on, API tokens' camera
scope, and header tokens that HLS reads do not take from the API rate limit."""
import itertools
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import wait_until
from lib.api_client import Api, assert_error, ok


@pytest.fixture(scope="module")
def srv(make_module_server):
    return make_module_server().wait_http()


def uris(playlist):
    """Every URI a playlist lists: plain lines and URI="…" attributes."""
    out = [line for line in playlist.splitlines() if line and not line.startswith("#")]
    out += re.findall(r'URI="([^"]+)"', playlist)
    return out


def media_playlist(srv, query=""):
    r = requests.get(srv.http("/demo/stream.m3u8" + query), timeout=30)
    assert r.status_code == 200, r.text
    return r


def test_ffprobe_reads_the_demo(srv):
    r = requests.get(srv.http("/demo/index.m3u8"), timeout=30)  # waits for the first segment
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "max-age" in r.headers["Cache-Control"]
    assert re.search(r'CODECS="avc1\.42[0-9A-F]{4}"', r.text), r.text
    assert "RESOLUTION=640x360" in r.text, r.text
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                          srv.http("/demo/index.m3u8")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    video = [s for s in json.loads(out.stdout)["streams"] if s["codec_type"] == "video"]
    assert video and video[0]["codec_name"] == "h264", out.stdout
    assert (video[0]["width"], video[0]["height"]) == (640, 360)


@pytest.mark.parametrize("query", ["", "?ll=0"])
def test_ffmpeg_decodes_seconds_of_hls(srv, query):
    out = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", srv.http("/demo/index.m3u8" + query),
                          "-t", "3", "-f", "framemd5", "-"], capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr[-3000:]
    frames = [l for l in out.stdout.splitlines() if l and not l.startswith("#")]
    assert len(frames) >= 60, f"{len(frames)} frames decoded\n{out.stderr[-2000:]}"


def test_plain_playlist_lists_complete_segments_only(srv):
    index = requests.get(srv.http("/demo/index.m3u8?ll=0"), timeout=30).text
    assert "stream.m3u8?ll=0" in index
    plain = media_playlist(srv, "?ll=0").text
    assert "#EXT-X-PART" not in plain and "#EXT-X-PRELOAD-HINT" not in plain
    assert "#EXT-X-PROGRAM-DATE-TIME:" in plain
    seg = next(u for u in uris(plain) if u.startswith("seg"))
    r = requests.get(srv.http("/demo/" + seg), timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "video/mp4"
    assert "max-age=3600" in r.headers["Cache-Control"]
    assert r.content[4:8] == b"moof"
    init = requests.get(srv.http("/demo/init.mp4"), timeout=30)
    assert init.status_code == 200 and init.content[4:8] == b"ftyp"


def preload_hint(playlist):
    """The hinted part's URI and its place as _HLS_msn/_HLS_part count it: the open segment's
    sequence number and the number of parts it lists (RFC 8216bis §6.2.5.2)."""
    msn, parts, hint = 0, 0, None
    for line in playlist.splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            msn = int(line.split(":")[1])
        elif line.startswith("#EXT-X-PART:"):
            parts += 1
        elif line.startswith("#EXT-X-PRELOAD-HINT:"):
            hint = re.search(r'URI="(part\d+\.mp4)"', line).group(1)
        elif line and not line.startswith("#"):  # a segment's URI closes it
            msn, parts = msn + 1, 0
    assert hint, playlist
    return hint, msn, parts


def lists_part(playlist, uri):
    return re.search(rf'^#EXT-X-PART:DURATION=[\d.]+,URI="{re.escape(uri)}"', playlist, re.M) is not None


def test_blocking_reload_waits_for_the_next_part(srv):
    playlist = media_playlist(srv).text
    assert "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES" in playlist
    hint, msn, part = preload_hint(playlist)
    assert not lists_part(playlist, hint)
    r = media_playlist(srv, f"?_HLS_msn={msn}&_HLS_part={part}")
    # The part did not exist when the playlist was read; the answer lists it, so it came once the
    # part did (no lower bound on the wait: on a busy machine the part may be complete before the
    # request arrives, and then the answer is immediate — a server that did not block would
    # still answer without the part most of the time, which this catches). Parts are numbered
    # across segments, so the hinted name is the part's whether or not it starts a new segment.
    assert lists_part(r.text, hint), r.text
    # The hinted part itself, asked before it exists, is answered once complete: always, never a
    # 404 at a segment's end. Ten in a row cross at least one segment boundary (1 s of 200 ms parts).
    for _ in range(10):
        hint, _, _ = preload_hint(media_playlist(srv).text)
        p = requests.get(srv.http("/demo/" + hint), timeout=30)
        assert p.status_code == 200, p.text
        assert p.content[4:8] == b"moof"


def test_delta_update_and_shared_blocking_answers(srv):
    """_HLS_skip=YES: segments older than CAN-SKIP-UNTIL become one EXT-X-SKIP, the rest as in the
    full playlist. Blocking reloads waiting for the same part all get the same playlist."""
    assert "CAN-SKIP-UNTIL=6.00000" in media_playlist(srv).text

    def delta():  # once seven 1 s segments are kept, the oldest is more than 6 s from the end
        text = media_playlist(srv, "?_HLS_skip=YES").text
        return text if "#EXT-X-SKIP:SKIPPED-SEGMENTS=" in text else None
    text = wait_until(delta, timeout=30, what="a delta update")
    skipped = int(re.search(r"#EXT-X-SKIP:SKIPPED-SEGMENTS=(\d+)\n", text).group(1))
    first = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text).group(1))
    listed = [int(m) for m in re.findall(r"^seg(\d+)\.mp4$", text, re.M)]
    assert skipped >= 1 and listed[0] == first + skipped, text

    hint, msn, part = preload_hint(media_playlist(srv).text)
    query = f"?_HLS_msn={msn}&_HLS_part={part}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(lambda _: media_playlist(srv, query).text, range(8)))
    assert lists_part(bodies[0], hint), bodies[0]
    # The same ring version for all unless a part landed between their answers: at most two.
    assert len(set(bodies)) <= 2, bodies


def test_bad_directives_and_unknown_paths(srv):
    media_playlist(srv)
    assert_error(requests.get(srv.http("/demo/stream.m3u8?_HLS_msn=abc"), timeout=10), 400, "VALIDATION_FAILED",
                 field="_HLS_msn")
    assert_error(requests.get(srv.http("/demo/stream.m3u8?_HLS_part=1"), timeout=10), 400, "VALIDATION_FAILED")
    assert_error(requests.get(srv.http("/demo/stream.m3u8?_HLS_msn=99999999999999"), timeout=10), 400,
                 "VALIDATION_FAILED", field="_HLS_msn")
    assert_error(requests.get(srv.http("/nothing-here/index.m3u8"), timeout=30), 404)
    assert_error(requests.get(srv.http("/demo/seg1.mp4"), timeout=10), 404)
    # A part long gone, and one past the advance part limit (15 parts of 200 ms): 404 at once.
    assert_error(requests.get(srv.http("/demo/part1.mp4"), timeout=10), 404)
    hint, _, _ = preload_hint(media_playlist(srv).text)
    ahead = f"part{int(hint[4:-4]) + 100}.mp4"
    r = requests.get(srv.http("/demo/" + ahead), timeout=10)
    assert_error(r, 404)
    assert "beyond the advance part limit" in r.json()["error"]["message"], r.text
    # The server still serves.
    assert media_playlist(srv).status_code == 200


def test_protected_path_takes_a_token_that_every_url_carries(make_server):
    s = make_server({"auth": {"anonymous_media": "none"}}).wait_http()
    assert_error(requests.get(s.http("/demo/index.m3u8"), timeout=10), 401)
    assert_error(requests.get(s.http("/demo/index.m3u8?token=nope"), timeout=10), 401, "AUTH_TOKEN_INVALID")
    admin = Api.as_user(s, password=s.admin_password)
    secret = admin.create_token("hls-reader", ["media:read", "streams:read"])["token"]
    reader = Api(s, {"X-API-Key": secret})
    url = ok(reader.get("/cameras/demo/stream/hls"))["url"]
    assert url.endswith("/demo/index.m3u8?token=" + secret), url
    index = requests.get(url, timeout=30)
    assert index.status_code == 200, index.text
    variant = uris(index.text)[0]
    assert variant.endswith("token=" + secret), index.text
    playlist = requests.get(s.http("/demo/" + variant), timeout=30)
    assert playlist.status_code == 200, playlist.text
    listed = uris(playlist.text)
    assert listed and all(u.endswith("?token=" + secret) for u in listed), playlist.text
    init = next(u for u in listed if u.startswith("init.mp4"))
    assert requests.get(s.http("/demo/" + init), timeout=10).status_code == 200
    assert_error(requests.get(s.http("/demo/init.mp4"), timeout=10), 401)
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", url], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "codec_name=h264" in out.stdout, out.stderr


def test_camera_scope_is_checked_on_every_hls_read(make_server):
    # HLS requests are authorized on the connections' loops: the same scope check as RTSP's, by
    # header and by ?token= alike.
    s = make_server({"auth": {"anonymous_media": "none"}}).wait_http()
    admin = Api.as_user(s, password=s.admin_password)
    inside = admin.create_token("hls-demo", ["media:read"], camera_scope=["demo"])["token"]
    outside = admin.create_token("hls-other", ["media:read"], camera_scope=["elsewhere"])["token"]
    for file in ("index.m3u8", "stream.m3u8", "init.mp4"):
        assert requests.get(s.http(f"/demo/{file}"), headers={"X-API-Key": inside}, timeout=30).status_code == 200
        assert requests.get(s.http(f"/demo/{file}?token={inside}"), timeout=30).status_code == 200
        assert_error(requests.get(s.http(f"/demo/{file}"), headers={"Authorization": "Bearer " + outside}, timeout=10),
                     403, "AUTH_INSUFFICIENT_PERMISSIONS")
        assert_error(requests.get(s.http(f"/demo/{file}?token={outside}"), timeout=10), 403,
                     "AUTH_INSUFFICIENT_PERMISSIONS")


def test_header_token_reads_do_not_use_the_api_rate_limit(make_server):
    # hls.js sending its token in a header fetches a playlist and a part every ~200 ms: with the
    # default 1000 requests per hour it was cut off within minutes.
    s = make_server({"auth": {"anonymous_media": "none"}}).wait_http()
    admin = Api.as_user(s, password=s.admin_password)
    secret = admin.create_token("hls-header", ["media:read", "streams:read"], rate_limit=5)["token"]
    headers = itertools.cycle([{"X-API-Key": secret}, {"Authorization": "Bearer " + secret}])
    files = itertools.cycle(["stream.m3u8", "init.mp4", "index.m3u8"])
    with requests.Session() as player:
        for i in range(1200):
            r = player.get(s.http("/demo/" + next(files)), headers=next(headers), timeout=30)
            assert r.status_code == 200, (i, r.text)
    # The API still counts: 5 requests, then 429.
    reader = Api(s, {"X-API-Key": secret})
    for _ in range(5):
        ok(reader.get("/cameras/demo/stream/hls"))
    assert_error(reader.get("/cameras/demo/stream/hls"), 429, "RATE_LIMIT_EXCEEDED")
