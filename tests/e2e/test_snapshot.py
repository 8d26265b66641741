"""Snapshots (issue 6): JPEG of a camera's live picture over REST and JSON-RPC, decoded by
ffmpeg; the test pattern's timestamp row says how fresh it is. Saved snapshots are listed,
downloaded and deleted; a camera without a stream answers an error at once."""

import subprocess
import time

import pytest
import requests

from lib.api_client import Api, RpcClient, assert_error
from lib.timestamp import decode_luma


@pytest.fixture(scope="module")
def srv(make_module_server):
    return make_module_server({"demo": {"width": 1280, "height": 720}}).wait_http()


@pytest.fixture(scope="module")
def admin(srv):
    return Api.as_user(srv)


def gray(jpeg, width=None):
    """(width, height, luma bytes) of a JPEG as ffmpeg decodes it."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", "-"],
                           input=jpeg, capture_output=True, timeout=30)
    assert probe.returncode == 0, probe.stderr
    w, h = (int(x) for x in probe.stdout.decode().strip().split(","))
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", "-", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                         input=jpeg, capture_output=True, timeout=30)
    assert out.returncode == 0 and len(out.stdout) == w * h, out.stderr
    return w, h, out.stdout


@pytest.mark.parametrize("width,size", [(None, (1280, 720)), (640, (640, 360))])
def test_snapshot_jpeg_is_fresh_and_sized(admin, width, size):
    params = {"width": width} if width else {}
    asked = time.time() * 1000
    r = admin.get("/cameras/demo/snapshot.jpg", params=params)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == "image/jpeg" and r.content[:2] == b"\xff\xd8"
    w, h, luma = gray(r.content)
    assert (w, h) == size
    stamp = decode_luma(luma, w, h)
    assert stamp is not None, "the timestamp row must survive JPEG"
    assert abs(stamp - asked) < 1000, (stamp, asked)


def test_concurrent_snapshots_all_succeed(admin):
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: admin.get("/cameras/demo/snapshot.jpg", params={"width": 320}), range(10)))
    assert all(r.status_code == 200 and r.content[:2] == b"\xff\xd8" for r in answers)


def test_snapshot_errors(srv, admin):
    assert_error(admin.get("/cameras/demo/snapshot.jpg", params={"width": "5"}), 400, field="width")
    assert_error(admin.get("/cameras/demo/snapshot.jpg", params={"width": "wide"}), 400, field="width")
    assert_error(admin.get("/cameras/nope/snapshot.jpg"), 404, "CAMERA_NOT_FOUND")
    admin.create_camera(id="dark", name="Dark", source="publisher")
    started = time.monotonic()
    assert_error(admin.get("/cameras/dark/snapshot.jpg"), 503, "STREAM_NODE_UNAVAILABLE")
    assert time.monotonic() - started < 5
    assert_error(requests.get(srv.api("/cameras/demo/snapshot.jpg"), timeout=10), 401)


def test_take_snapshot_saves_lists_downloads_and_deletes(srv, admin):
    with RpcClient(srv.ws_url) as rpc:
        rpc.result("authenticate", {"auth_token": admin.token})
        taken = rpc.result("take_snapshot", {"device": "demo", "filename": "front.jpg"})
        assert taken["status"] == "SUCCESS" and taken["filename"] == "front.jpg", taken
        assert taken["file_size"] == (srv.data_dir / "snapshots" / "front.jpg").stat().st_size
        auto = rpc.result("take_snapshot", {"device": "demo"})
        assert auto["filename"].startswith("demo") and auto["filename"].endswith(".jpg"), auto
        listed = rpc.result("list_snapshots", {"limit": 10, "offset": 0})
        assert {"front.jpg", auto["filename"]} <= {f["filename"] for f in listed["files"]}, listed
        info = rpc.result("get_snapshot_info", {"filename": "front.jpg"})
        assert info["resolution"] == "1280x720" and info["download_url"] == "/files/snapshots/front.jpg", info
        r = admin.get(srv.http(info["download_url"]))
        assert r.status_code == 200 and r.content[:2] == b"\xff\xd8"
        assert rpc.error("take_snapshot", {"device": "demo", "filename": "../evil.jpg"})["code"] == -32602
        assert rpc.error("take_snapshot", {"device": "demo", "filename": "front.jpg"})["code"] == -32602
        assert rpc.error("take_snapshot", {"device": "nope"})["code"] == -32004
        deleted = rpc.result("delete_snapshot", {"filename": "front.jpg"})
        assert deleted["deleted"] is True, deleted
        assert not (srv.data_dir / "snapshots" / "front.jpg").exists()
        assert rpc.error("get_snapshot_info", {"filename": "front.jpg"})["code"] == -32602
