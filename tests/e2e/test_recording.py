"""Recording (issue 6) with real clients: continuous and on-demand recording of the demo camera
into segmented fragmented MP4 checked with ffprobe, the index and the timeline (with a gap when
the source stops), kill -9 and restart, clip export, HLS VOD by byte ranges read by ffmpeg,
retention settings, and the JSON-RPC and REST methods with their failures."""

import json
import shutil
import subprocess
import time

import pytest
import requests

from conftest import wait_until
from lib.api_client import Api, RpcClient, assert_error, iso, ok, parse_time, publish_testsrc

SEGMENT_SECONDS = 10
CONFIG = {
    "demo": {"record": "continuous"},
    "recording": {"segment_seconds": SEGMENT_SECONDS, "fragment_ms": 1000},
}


def now_ms():
    return int(time.time() * 1000)


def probe_duration(path):
    """ffprobe's duration of a file (seconds), after decoding every frame without error."""
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "format=duration:stream=nb_read_frames", "-of", "json", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and not out.stderr.strip(), f"ffprobe {path}: {out.stderr}"
    info = json.loads(out.stdout)
    assert int(info["streams"][0]["nb_read_frames"]) > 0, info
    return float(info["format"]["duration"])


def recordings(api, **query):
    return ok(api.get("/recordings", params={"limit": 1000, **query}))["recordings"]


def complete(api, camera):
    return sorted((r for r in recordings(api, camera=camera, kind="segment") if r["complete"]),
                  key=lambda r: r["start_ms"])


@pytest.fixture(scope="module")
def srv(make_module_server):
    return make_module_server(CONFIG).wait_http()


@pytest.fixture(scope="module")
def admin(srv):
    return Api.as_user(srv)


@pytest.fixture(scope="module")
def session(srv, admin):
    """An on-demand recording of the demo for 30 s, started as soon as the module starts so that
    it records while the other tests run; the STOPPED notification it sent."""
    rpc = RpcClient(srv.ws_url)
    rpc.result("authenticate", {"auth_token": admin.token})
    rpc.result("subscribe_events", {"topics": ["recording_status"]})
    started = rpc.result("start_recording", {"device": "demo", "duration": 30, "format": "mp4"})
    yield rpc, started
    rpc.close()


def test_start_recording_answers_the_contract(session):
    _, started = session
    assert started["status"] == "STARTED" and started["device"] == "demo", started
    assert started["format"] == "mp4" and started["duration"] == 30, started
    assert started["session_id"] and started["filename"].endswith(".mp4"), started


def test_continuous_segments_are_indexed_and_play(srv, admin):
    # Three complete 10 s segments: at least 30 s of continuous recording.
    segments = wait_until(lambda: (lambda c: c if len(c) >= 3 else None)(complete(admin, "demo")),
                          timeout=90, interval=1, what="three complete segments")
    total = 0.0
    for r in segments:
        path = srv.data_dir / "recordings" / r["filename"]
        assert path.stat().st_size == r["file_size"], r
        duration = probe_duration(path)
        assert abs(duration - r["duration"]) < 0.3, (duration, r)
        assert SEGMENT_SECONDS - 0.5 < duration < SEGMENT_SECONDS + 1.5, (duration, r)
        assert r["codecs"].startswith("avc1."), r
        total += duration
    first, last = segments[0], segments[-1]
    span = (last["end_ms"] - first["start_ms"]) / 1000
    assert abs(total - span) < 1.0, (total, span, segments)
    timeline = ok(admin.get("/recordings/timeline/demo", params={"from": iso(first["start_ms"]),
                                                                  "to": iso(last["end_ms"])}))
    assert len(timeline["intervals"]) == 1 and timeline["gaps"] == [], timeline


def test_on_demand_session_is_one_mp4_of_its_duration(srv, admin, session):
    rpc, started = session
    stopped = rpc.wait_notification(lambda n: n["method"] == "recording_status_update"
                                    and n["params"]["status"] == "STOPPED"
                                    and n["params"]["filename"] == started["filename"], timeout=90)["params"]
    duration = probe_duration(srv.data_dir / "recordings" / started["filename"])
    assert abs(duration - 30) <= 1.0, (duration, stopped)
    info = rpc.result("get_recording_info", {"filename": started["filename"]})
    assert abs(info["duration"] - duration) < 0.3 and info["file_size"] > 0, info
    listed = rpc.result("list_recordings", {"device": "demo", "limit": 100, "offset": 0})
    assert started["filename"] in [f["filename"] for f in listed["files"]], listed
    sessions = recordings(admin, camera="demo", kind="session")
    assert [r["filename"] for r in sessions] == [started["filename"]], sessions


def test_export_cuts_a_clip_at_keyframes(srv, admin, tmp_path):
    segments = wait_until(lambda: (lambda c: c if len(c) >= 2 else None)(complete(admin, "demo")),
                          timeout=60, interval=1, what="two complete segments")
    start = segments[0]["end_ms"] - 5000  # across a segment boundary
    r = admin.get("/recordings/export", params={"camera": "demo", "from": iso(start), "to": iso(start + 10000)},
                  timeout=60)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == "video/mp4" and "attachment" in r.headers["Content-Disposition"]
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(r.content)
    assert abs(probe_duration(clip) - 10) <= 1.1, "10 s ± one GOP (the demo's is 1 s)"
    assert_error(admin.get("/recordings/export", params={"camera": "demo", "from": iso(1000), "to": iso(2000)}),
                 404, "RECORDING_NOT_FOUND")
    assert_error(admin.get("/recordings/export", params={"camera": "demo", "from": "yesterday"}), 400,
                 field="from")
    assert_error(admin.get("/recordings/export", params={"camera": "nope", "from": iso(1000), "to": iso(2000)}),
                 404, "CAMERA_NOT_FOUND")


def test_hls_vod_of_a_range_plays_in_ffmpeg(srv, admin):
    segments = wait_until(lambda: (lambda c: c if len(c) >= 2 else None)(complete(admin, "demo")),
                          timeout=60, interval=1, what="two complete segments")
    start, end = segments[0]["start_ms"] + 2000, segments[1]["start_ms"] + 4000
    r = admin.get("/recordings/playlist/demo", params={"from": iso(start), "to": iso(end)})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"].startswith("application/vnd.apple.mpegurl")
    text = r.text
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and "#EXT-X-ENDLIST" in text, text
    assert "#EXT-X-MAP:URI=" in text and "BYTERANGE=" in text and "#EXT-X-BYTERANGE:" in text, text
    # The playlist's URLs are signed: ffmpeg reads it with no credentials at all.
    url = ok(admin.get("/recordings/playlist/demo", params={"from": iso(start), "to": iso(end), "signed": "1"}))["url"]
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "stream=nb_read_frames", "-of", "json", url], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    frames = int(json.loads(out.stdout)["streams"][0]["nb_read_frames"])
    # Whole HLS segments (~6 s runs of fragments from a keyframe) that overlap the range are listed.
    expected = (end - start) / 1000 * 30
    assert expected - 30 <= frames <= expected + 13 * 30, (frames, expected)
    assert_error(requests.get(srv.api("/recordings/playlist/demo"), timeout=10), 401)


def test_recording_info_signed_url_keep_and_delete(srv, admin):
    segments = wait_until(lambda: (lambda c: c if len(c) >= 1 else None)(complete(admin, "demo")),
                          timeout=60, interval=1, what="a complete segment")
    rec = ok(admin.get(f"/recordings/{segments[0]['id']}"))
    assert rec["filename"] == segments[0]["filename"] and rec["keep"] is False, rec
    signed = ok(admin.get(f"/recordings/{rec['id']}/signed-url"))
    assert "sig=" in signed["url"], signed
    r = requests.get(srv.http(signed["url"]) if signed["url"].startswith("/") else signed["url"],
                     headers={"Range": "bytes=0-99"}, timeout=10)
    assert r.status_code == 206 and len(r.content) == 100, r.status_code
    kept = ok(admin.put(f"/recordings/{rec['id']}", {"keep": True}))
    assert kept["keep"] is True, kept
    assert_error(admin.put(f"/recordings/{rec['id']}", {"keep": "yes"}), 400, field="keep")
    # The file being written cannot be deleted; a finished one can.
    open_rec = next(r for r in recordings(admin, camera="demo", kind="segment") if not r["complete"])
    assert_error(admin.delete(f"/recordings/{open_rec['id']}"), 409, "RECORDING_IN_PROGRESS")
    victim = segments[-1]
    assert admin.delete(f"/recordings/{victim['id']}").status_code == 204
    assert not (srv.data_dir / "recordings" / victim["filename"]).exists()
    assert_error(admin.get(f"/recordings/{victim['id']}"), 404, "RECORDING_NOT_FOUND")
    assert_error(admin.get("/recordings/999999"), 404, "RECORDING_NOT_FOUND")


def test_recording_methods_refuse_bad_calls(srv, admin):
    with RpcClient(srv.ws_url) as rpc:
        rpc.result("authenticate", {"auth_token": admin.token})
        assert rpc.error("start_recording", {"device": "nope"})["code"] == -32004
        assert rpc.error("start_recording", {"device": "demo", "format": "mkv"})["code"] == -32008
        assert rpc.error("start_recording", {"device": "demo", "duration": -1})["code"] == -32602
        assert rpc.error("get_recording_info", {"filename": "no/such.mp4"})["code"] == -32602
        assert rpc.error("delete_recording", {"filename": "no/such.mp4"})["code"] == -32602
        assert rpc.error("set_retention_policy", {"policy_type": "sometimes", "enabled": True})["code"] == -32602
    # A session is running (the module's 30 s one, or one started here): a second is refused.
    r = admin.post("/cameras/demo/recording/start", {"duration": 5})
    if r.status_code == 201:
        assert_error(admin.post("/cameras/demo/recording/start", {}), 409, "RECORDING_IN_PROGRESS")
        stopped = ok(admin.post("/cameras/demo/recording/stop"))
        assert stopped["status"] == "STOPPED", stopped
    else:
        assert_error(r, 409, "RECORDING_IN_PROGRESS")
    assert_error(admin.post("/cameras/nope/recording/start", {}), 404, "CAMERA_NOT_FOUND")
    assert_error(admin.post("/cameras/demo/recording/start", {"format": "avi"}), 400, field="format")


def test_storage_info_retention_policy_and_cleanup(srv, admin):
    with RpcClient(srv.ws_url) as rpc:
        rpc.result("authenticate", {"auth_token": admin.token})
        info = rpc.result("get_storage_info")
        for key in ("total_space", "used_space", "available_space", "usage_percentage", "recordings_size",
                    "snapshots_size", "low_space_warning"):
            assert key in info, info
        assert info["recordings_size"] > 0 and info["total_space"] >= info["available_space"], info
        # The policy in force is the configuration's until set_retention_policy changes it.
        assert info["retention_policy"]["enabled"] is True, info
        policy = rpc.result("set_retention_policy", {"policy_type": "age", "max_age_days": 7, "enabled": True})
        assert policy["policy_type"] == "age" and policy["max_age_days"] == 7 and policy["enabled"] is True, policy
        assert rpc.result("get_storage_info")["retention_policy"] == policy
        cleaned = rpc.result("cleanup_old_files")
        assert cleaned["cleanup_executed"] is True and cleaned["files_deleted"] == 0, cleaned
    usage = ok(admin.get("/analytics/storage/usage"))
    assert usage["recordings_size"] > 0, usage
    assert usage["retention_policy"] == policy, usage


def test_camera_shows_is_recording(admin):
    assert ok(admin.get("/cameras/demo"))["is_recording"] is True


# ---------------------------------------------------------------------------------------------
# Separate servers: a source that stops, kill -9, a full disk


def test_source_stop_makes_a_visible_gap(make_server, procs):
    server = make_server({"demo": {"enabled": False}, "recording": {"segment_seconds": 60}}).wait_http()
    api = Api.as_user(server)
    api.create_camera(id="gate", name="Gate", source="publisher", record="continuous")
    first_publisher = publish_testsrc(procs, server, "cameras/gate", name="pub1")
    # The first file holds some seconds (its index row advances every few seconds).
    first = wait_until(lambda: next((r for r in recordings(api, camera="gate") if r["end_ms"] > r["start_ms"]), None),
                       timeout=30, what="a recording with fragments")
    first_publisher.stop()
    closed = wait_until(lambda: next((r for r in recordings(api, camera="gate") if r["complete"]), None),
                        timeout=30, what="the first file to close")
    stopped_at = now_ms()
    time.sleep(10)  # the gap the timeline must show
    publish_testsrc(procs, server, "cameras/gate", name="pub2")
    # The index of a file being written advances every few seconds.
    second = wait_until(lambda: next((r for r in recordings(api, camera="gate")
                                      if r["id"] != first["id"] and r["end_ms"] > r["start_ms"]), None),
                        timeout=30, what="a second recording")
    assert second["start_ms"] >= closed["end_ms"], (closed, second)
    timeline = ok(api.get("/recordings/timeline/gate", params={"from": iso(closed["start_ms"]),
                                                                "to": iso(second["end_ms"])}))
    gaps = [(g["end_ms"] - g["start_ms"]) for g in timeline["gaps"]]
    assert len(timeline["intervals"]) == 2 and max(gaps) >= 9000, timeline
    assert closed["end_ms"] <= stopped_at + 500, closed
    assert probe_duration(server.data_dir / "recordings" / closed["filename"]) > 2


def test_kill_9_loses_at_most_the_last_fragment(make_server):
    server = make_server(CONFIG).wait_http()
    api = Api.as_user(server)
    rec = wait_until(lambda: next((r for r in recordings(api, camera="demo") if r["duration"] >= 5), None),
                     timeout=40, interval=0.5, what="a segment of 5 s")
    server.proc.kill()
    killed_at = now_ms()
    server.proc.wait()
    # A crash between a file's creation and its index row: a file the index does not know.
    folder = server.data_dir / "recordings"
    orphan_name = "demo/2020-01-01/demo-20200101T000000.000Z.mp4"
    (folder / orphan_name).parent.mkdir(parents=True)
    shutil.copy(folder / rec["filename"], folder / orphan_name)
    server.start()
    server.wait_http()
    api = Api.as_user(server)
    repaired = wait_until(lambda: next((r for r in recordings(api, camera="demo")
                                        if r["id"] == rec["id"] and r["complete"]), None),
                          timeout=30, what="the killed segment repaired")
    duration = probe_duration(server.data_dir / "recordings" / repaired["filename"])
    assert abs(duration - repaired["duration"]) < 0.3, (duration, repaired)
    assert repaired["end_ms"] >= killed_at - 2500, ("more than a fragment lost", repaired, killed_at)
    for r in recordings(api, camera="demo"):
        if r["complete"]:
            probe_duration(server.data_dir / "recordings" / r["filename"])
    assert "repaired" in server.log_text()
    orphan = next(r for r in recordings(api, camera="demo") if r["filename"] == orphan_name)
    assert orphan["complete"] and orphan["start_time"] == "2020-01-01T00:00:00.000Z", orphan
    assert abs(orphan["duration"] - probe_duration(folder / orphan_name)) < 0.3, orphan


def test_full_disk_fails_recording_then_recovers(make_server):
    """A real small filesystem (a tmpfs mounted on the recordings folder) fills up: the recorder
    reports recording_failed and storage_full, the server keeps running, and recording resumes
    by itself once space is back. Every file left behind plays."""
    server = make_server({**CONFIG, "recording": {**CONFIG["recording"], "retention": {
        "min_free_gb": 0, "low_space_warning_gb": 0.004, "interval_seconds": 1}}}, start=False)
    folder = server.data_dir / "recordings"
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    try:
        server.start()
        server.wait_http()
        api = Api.as_user(server)
        wait_until(lambda: recordings(api, camera="demo"), timeout=30, what="a recording")
        filler = folder / "filler"
        try:
            with open(filler, "wb") as f:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
        except OSError:
            pass  # ENOSPC: the disk is full
        alerts = lambda kind: ok(api.get("/alerts", params={"type": kind}))["alerts"]
        failed = wait_until(lambda: alerts("recording_failed"), timeout=30, what="a recording_failed alert")[0]
        assert "No space left on device" in failed["message"], failed
        wait_until(lambda: alerts("storage_full"), timeout=30, what="a storage_full alert")
        assert server.proc.poll() is None, "the server died of a full disk"
        failed_ms = int(parse_time(failed["timestamp"]).timestamp() * 1000)
        filler.unlink()
        resumed = wait_until(lambda: next((r for r in recordings(api, camera="demo")
                                           if r["start_ms"] > failed_ms and r["duration"] > 1), None),
                             timeout=60, interval=0.5, what="recording to resume after space came back")
        assert resumed["file_size"] > 0
        for r in recordings(api, camera="demo"):
            if r["complete"] and r["duration"] > 0:
                probe_duration(folder / r["filename"])
    finally:
        server.stop()
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
