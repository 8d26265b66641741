"""REST cameras: listing (the demo camera is read-only), create / read / update / delete with
validation, and live apply: a publisher camera goes online and offline (seen over REST and as
JSON-RPC camera_status_update), an RTSP camera is pulled once created and released once deleted,
and cameras created through the API survive a restart."""

import json
import re

import pytest

from conftest import ROOT, ffprobe, ffprobe_run, wait_until
from lib.api_client import Api, RpcClient, assert_error, camera_status_update, ok, parse_time, publish_testsrc

SCHEMAS = json.loads((ROOT / "src/api/openapi.json").read_text())["components"]["schemas"]
CAMERA_FIELDS = SCHEMAS["Camera"]["required"]


def check_camera_shape(camera):
    missing = [f for f in CAMERA_FIELDS if f not in camera]
    assert not missing, (missing, camera)
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", camera["id"]), camera
    assert camera["stream_status"] in ("online", "offline", "connecting", "error"), camera
    for key in ("created_at", "updated_at"):
        # Null for cameras defined in ocellus.yml (the demo); a time for the API's.
        if camera[key] is not None or not camera["read_only"]:
            parse_time(camera[key])


# ---------------------------------------------------------------------------------------------
# Listing


def test_demo_camera_is_listed_read_only(admin):
    body = ok(admin.get("/cameras"))
    assert body["total"] == len(body["cameras"]), body
    demo = [c for c in body["cameras"] if c["id"] == "demo"]
    assert len(demo) == 1, body
    check_camera_shape(demo[0])
    assert demo[0]["read_only"] is True and demo[0]["stream_status"] == "online", demo[0]
    assert demo[0]["health"]["status"] == "online", demo[0]
    one = ok(admin.get("/cameras/demo"))
    assert one["id"] == "demo" and one["read_only"] is True, one


def test_demo_camera_status(admin):
    status = ok(admin.get("/cameras/demo/status"))
    missing = [f for f in SCHEMAS["CameraStatus"]["required"] if f not in status]
    assert not missing, f"CameraStatus fields missing: {missing} in {status}"
    assert status["id"] == "demo" and status["stream_status"] == "online", status
    assert status["is_active"] is True and status["is_recording"] is False, status
    # The test config's demo is 640x360.
    assert status.get("resolution") == "640x360", status
    assert status["streams"]["rtsp"].endswith("/demo"), status
    wait_until(lambda: ok(admin.get("/cameras/demo/status"))["health"]["fps"] > 0, what="the demo's fps")


def test_list_filters_by_status(admin):
    online = ok(admin.get("/cameras", params={"status": "online"}))["cameras"]
    assert "demo" in [c["id"] for c in online] and all(c["stream_status"] == "online" for c in online), online
    offline = ok(admin.get("/cameras", params={"status": "offline"}))["cameras"]
    assert "demo" not in [c["id"] for c in offline], offline
    assert_error(admin.get("/cameras", params={"status": "sleepy"}), 400, "VALIDATION_FAILED", field="status")


# ---------------------------------------------------------------------------------------------
# CRUD and validation


def test_create_read_update_delete(admin):
    fields = {"id": "crud1", "name": "Front door", "source": "publisher", "serial_number": "SN-CRUD-1",
              "company": "Acme", "model": "X100", "location": "Building A", "place": "Entrance", "on_demand": False}
    created = ok(admin.post("/cameras", fields), 201)
    check_camera_shape(created)
    for key, value in fields.items():
        assert created[key] == value, (key, created)
    assert created["read_only"] is False and created["is_active"] is True and created["is_recording"] is False
    assert created["stream_status"] == "offline", created  # nobody publishes yet

    assert ok(admin.get("/cameras/crud1")) | {"health": None} == created | {"health": None}
    assert "crud1" in [c["id"] for c in ok(admin.get("/cameras"))["cameras"]]

    updated = ok(admin.put("/cameras/crud1", {"name": "Back door", "location": "Building B"}))
    assert updated["name"] == "Back door" and updated["location"] == "Building B", updated
    assert updated["serial_number"] == "SN-CRUD-1" and updated["company"] == "Acme", updated  # kept
    assert parse_time(updated["updated_at"]) >= parse_time(created["updated_at"])
    assert ok(admin.get("/cameras/crud1"))["name"] == "Back door"

    r = admin.delete("/cameras/crud1")
    assert r.status_code == 204 and r.content == b"", r.text
    assert_error(admin.get("/cameras/crud1"), 404, "CAMERA_NOT_FOUND")
    assert "crud1" not in [c["id"] for c in ok(admin.get("/cameras"))["cameras"]]


def test_server_picks_an_id(admin):
    created = ok(admin.post("/cameras", {"name": "Anonymous", "source": "publisher"}), 201)
    assert created["id"].startswith("cam-"), created
    assert created["serial_number"] is None, created
    assert ok(admin.get(f"/cameras/{created['id']}"))["name"] == "Anonymous"
    assert admin.delete(f"/cameras/{created['id']}").status_code == 204


def test_duplicate_serial_number_is_refused(admin):
    ok(admin.post("/cameras", {"id": "serial1", "name": "One", "source": "publisher", "serial_number": "SN-DUP"}), 201)
    ok(admin.post("/cameras", {"id": "serial2", "name": "Two", "source": "publisher", "serial_number": "SN-OTHER"}),
       201)
    r = admin.post("/cameras", {"id": "serial3", "name": "Three", "source": "publisher", "serial_number": "SN-DUP"})
    assert_error(r, 400, "CAMERA_SERIAL_DUPLICATE")
    assert_error(admin.get("/cameras/serial3"), 404, "CAMERA_NOT_FOUND")
    assert_error(admin.put("/cameras/serial2", {"serial_number": "SN-DUP"}), 400, "CAMERA_SERIAL_DUPLICATE")
    assert ok(admin.get("/cameras/serial2"))["serial_number"] == "SN-OTHER"


def test_duplicate_id_is_refused(admin):
    ok(admin.post("/cameras", {"id": "twin", "name": "First", "source": "publisher"}), 201)
    assert_error(admin.post("/cameras", {"id": "twin", "name": "Second", "source": "publisher"}), 400,
                 "VALIDATION_FAILED", field="id")
    assert_error(admin.post("/cameras", {"id": "demo", "name": "Not the demo", "source": "publisher"}), 400,
                 "VALIDATION_FAILED", field="id")
    assert ok(admin.get("/cameras/twin"))["name"] == "First"


@pytest.mark.parametrize("body,field", [
    ({"source": "publisher"}, "name"),
    ({"name": "", "source": "publisher"}, "name"),
    ({"name": 5, "source": "publisher"}, "name"),
    ({"name": "No source"}, "source"),
    ({"name": "Bad source", "source": "ftp://192.0.2.1/x"}, "source"),
    ({"name": "Bad id", "source": "publisher", "id": "a b/c"}, "id"),
    ({"name": "Unknown field", "source": "publisher", "color": "red"}, "color"),
    ({"name": "Bad flag", "source": "publisher", "on_demand": "yes"}, "on_demand"),
    ({"name": "Bad serial", "source": "publisher", "serial_number": 12}, "serial_number"),
], ids=["no-name", "empty-name", "name-number", "no-source", "ftp-source", "bad-id", "unknown-field",
        "on-demand-string", "serial-number"])
def test_camera_validation_names_the_field(admin, body, field):
    before = ok(admin.get("/cameras"))["total"]
    assert_error(admin.post("/cameras", body), 400, "VALIDATION_FAILED", field=field)
    assert ok(admin.get("/cameras"))["total"] == before


def test_update_validation_names_the_field(admin):
    ok(admin.post("/cameras", {"id": "upd1", "name": "Upd", "source": "publisher"}), 201)
    assert_error(admin.put("/cameras/upd1", {"name": ""}), 400, "VALIDATION_FAILED", field="name")
    assert_error(admin.put("/cameras/upd1", {"on_demand": 1}), 400, "VALIDATION_FAILED", field="on_demand")
    assert ok(admin.get("/cameras/upd1"))["name"] == "Upd"


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/cameras/nope", None),
    ("PUT", "/cameras/nope", {"name": "x"}),
    ("DELETE", "/cameras/nope", None),
    ("GET", "/cameras/nope/status", None),
    ("GET", "/cameras/nope/analytics", None),
], ids=["get", "put", "delete", "status", "analytics"])
def test_unknown_camera_is_404(admin, method, path, body):
    assert_error(admin.request(method, path, json=body), 404, "CAMERA_NOT_FOUND")


def test_read_only_camera_cannot_be_changed(srv, admin):
    assert_error(admin.put("/cameras/demo", {"name": "Renamed"}), 403, "CAMERA_READ_ONLY")
    assert_error(admin.delete("/cameras/demo"), 403, "CAMERA_READ_ONLY")
    demo = ok(admin.get("/cameras/demo"))
    assert demo["name"] != "Renamed" and demo["stream_status"] == "online", demo
    assert ffprobe(srv.url("demo"))["streams"]


# ---------------------------------------------------------------------------------------------
# Live apply


def test_publisher_camera_goes_online_and_offline(srv, admin, procs):
    with RpcClient(srv.ws_url, admin.token) as rpc:
        subscribed = rpc.result("subscribe_events", {"topics": ["camera_status"]})
        assert "camera_status" in json.dumps(subscribed), subscribed
        created = ok(admin.post("/cameras", {"id": "cam1", "name": "Pushed", "source": "publisher"}), 201)
        assert created["stream_status"] == "offline"

        pub = publish_testsrc(procs, srv, "cameras/cam1")
        wait_until(lambda: admin.camera_status("cam1") == "online" or not pub.running(), timeout=20,
                   what="cam1 online")
        assert pub.running(), pub.text()
        assert admin.camera_status("cam1") == "online"
        note = rpc.wait_notification(camera_status_update("cam1", "online"))
        assert note["params"]["name"] == "Pushed" and "streams" in note["params"], note
        wait_until(lambda: ok(admin.get("/cameras/cam1/status")).get("resolution") == "320x240",
                   what="cam1's resolution")
        # Readable by its alias and its full path.
        assert ffprobe(srv.url("cam1"))["streams"][0]["width"] == 320

        pub.stop()
        wait_until(lambda: admin.camera_status("cam1") == "offline", timeout=20, what="cam1 offline")
        rpc.wait_notification(camera_status_update("cam1", "offline"))
    assert ok(admin.get("/cameras/cam1"))["stream_status"] == "offline"


def test_rtsp_camera_is_pulled_once_created_and_released_once_deleted(srv, admin, fake_camera):
    cam = fake_camera()
    created = ok(admin.post("/cameras", {"id": "pulled", "name": "IP camera", "source": cam.url()}), 201)
    assert created["source"] == cam.url() and created["stream_status"] in ("offline", "connecting", "online"), created
    wait_until(lambda: admin.camera_status("pulled") == "online", timeout=30, what="the pulled camera online")
    assert cam.connections() >= 1
    probe = ffprobe(srv.url("cameras/pulled"))
    assert probe["streams"][0]["codec_name"] == "h264" and probe["streams"][0]["width"] == 320, probe

    r = admin.delete("/cameras/pulled")
    assert r.status_code == 204, r.text
    wait_until(lambda: cam.open_connections() == 0, timeout=20, what="the server to hang up on the camera")
    assert_error(admin.get("/cameras/pulled"), 404, "CAMERA_NOT_FOUND")
    out = ffprobe_run(srv.url("cameras/pulled"), timeout=20)
    assert out.returncode != 0, out.stdout


def test_api_cameras_survive_a_restart(make_server, fake_camera):
    server = make_server().wait_http()
    admin = Api.as_user(server)
    cam = fake_camera()
    kept = ok(admin.post("/cameras", {"id": "keep", "name": "Keeper", "source": "publisher",
                                      "serial_number": "SN-KEEP", "company": "Acme", "model": "M1",
                                      "location": "Hall", "place": "Door", "on_demand": True}), 201)
    ok(admin.post("/cameras", {"id": "keep-ip", "name": "Kept IP camera", "source": cam.url()}), 201)
    wait_until(lambda: admin.camera_status("keep-ip") == "online", timeout=30, what="keep-ip online")

    assert server.stop() == 0
    server.start().wait_http()
    admin = Api.as_user(server)
    after = ok(admin.get("/cameras/keep"))
    volatile = ("stream_status", "health", "updated_at", "is_recording")
    assert {k: v for k, v in after.items() if k not in volatile} == \
        {k: v for k, v in kept.items() if k not in volatile}
    ids = [c["id"] for c in ok(admin.get("/cameras"))["cameras"]]
    assert {"demo", "keep", "keep-ip"} <= set(ids), ids
    # The pulled camera is applied again at start.
    wait_until(lambda: admin.camera_status("keep-ip") == "online", timeout=30, what="keep-ip online after restart")
    assert ffprobe(server.url("keep-ip"))["streams"]
