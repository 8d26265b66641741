"""JSON-RPC 2.0 over the WebSocket at /ws (API-CONTRACT §1): authentication (authenticate or
auth_token in params, a JWT or an API token), the status methods, JSON-RPC framing errors,
batches, event subscriptions and the 1 MiB frame limit."""

import datetime
import json

import pytest

from lib.api_client import Api, RpcClient, camera_status_update, ok, parse_time, publish_testsrc

NOT_AUTHENTICATED = -32001
FORBIDDEN = -32003


@pytest.fixture(scope="module")
def viewer(srv, admin):
    admin.create_user("rpcviewer", "viewer-pass-1", "viewer")
    return Api.as_user(srv, "rpcviewer", "viewer-pass-1")


@pytest.fixture
def rpc(srv, admin):
    """A connection authenticated as admin."""
    with RpcClient(srv.ws_url, admin.token) as client:
        yield client


@pytest.fixture
def anon(srv):
    """A connection that has not authenticated."""
    with RpcClient(srv.ws_url) as client:
        yield client


# ---------------------------------------------------------------------------------------------
# Authentication


def test_calls_before_authenticating_are_refused(anon, admin):
    for method in ("ping", "get_camera_list", "get_metrics", "subscribe_events"):
        assert anon.error(method)["code"] == NOT_AUTHENTICATED, method
    # The connection stays usable: authenticating then works.
    assert anon.result("authenticate", {"auth_token": admin.token})["authenticated"] is True
    assert anon.result("ping") == "pong"


def test_authenticate_with_a_jwt(anon, admin):
    result = anon.result("authenticate", {"auth_token": admin.token})
    assert result["authenticated"] is True and result["role"] == "admin", result
    assert {"cameras:read", "users:manage", "system:read"} <= set(result["permissions"]), result
    assert isinstance(result["session_id"], str) and result["session_id"], result
    expires = parse_time(result["expires_at"])
    now = datetime.datetime.now(datetime.timezone.utc)
    assert now < expires <= now + datetime.timedelta(seconds=905), result  # the JWT's 15 minutes


def test_authenticate_with_an_api_token(anon, admin):
    token = admin.create_token("rpc-token", ["cameras:read", "streams:read"])["token"]
    result = anon.result("authenticate", {"auth_token": token})
    assert result["authenticated"] is True, result
    assert sorted(result["permissions"]) == ["cameras:read", "streams:read"], result
    assert "demo" in [c["device"] for c in anon.result("get_camera_list")["cameras"]]
    assert anon.error("get_metrics")["code"] == FORBIDDEN


@pytest.mark.parametrize("params", [{"auth_token": "not-a-token"}, {"auth_token": ""}, {}],
                         ids=["garbage", "empty", "missing"])
def test_authenticate_with_a_bad_token_fails(anon, params):
    error = anon.error("authenticate", params)
    assert error["code"] in (NOT_AUTHENTICATED, -32602), error
    if params.get("auth_token") == "not-a-token":
        assert error["code"] == NOT_AUTHENTICATED
    assert anon.error("ping")["code"] == NOT_AUTHENTICATED


def test_auth_token_in_params(anon, admin, viewer):
    assert anon.result("ping", {"auth_token": admin.token}) == "pong"
    listing = anon.result("get_camera_list", {"auth_token": viewer.token})
    assert "demo" in [c["device"] for c in listing["cameras"]]
    # The viewer's token does not reach admin methods; a bad one is refused.
    assert anon.error("get_metrics", {"auth_token": viewer.token})["code"] == FORBIDDEN
    assert anon.error("ping", {"auth_token": "garbage"})["code"] == NOT_AUTHENTICATED


# ---------------------------------------------------------------------------------------------
# Methods


def test_ping(rpc):
    assert rpc.result("ping") == "pong"


def test_get_camera_list(rpc):
    result = rpc.result("get_camera_list")
    assert result["total"] == len(result["cameras"]), result
    assert isinstance(result["connected"], int) and 1 <= result["connected"] <= result["total"], result
    demo = [c for c in result["cameras"] if c["device"] == "demo"]
    assert len(demo) == 1, result
    demo = demo[0]
    assert demo["status"] == "online" and isinstance(demo["name"], str), demo
    assert demo["resolution"] == "640x360", demo
    assert demo["fps"] > 0, demo
    streams = demo["streams"]
    assert streams["rtsp"].startswith("rtsp://") and streams["rtsp"].endswith("/demo"), streams
    assert streams["webrtc"].startswith("http") and streams["hls"].startswith("http"), streams


def test_get_camera_status(rpc):
    status = rpc.result("get_camera_status", {"device": "demo"})
    assert status["device"] == "demo" and status["status"] == "online", status
    assert status["resolution"] == "640x360" and "streams" in status, status
    metrics = status["metrics"]
    for key in ("bytes_sent", "readers", "uptime"):
        assert isinstance(metrics[key], (int, float)), (key, status)
    assert isinstance(status["capabilities"]["formats"], list), status
    assert isinstance(status["capabilities"]["resolutions"], list), status


def test_get_camera_status_of_an_unknown_device(rpc):
    assert rpc.error("get_camera_status", {"device": "no-such-camera"})["code"] == -32004
    assert rpc.error("get_camera_status", {"device": "/dev/video9"})["code"] == -32004


def test_get_streams(rpc):
    streams = rpc.result("get_streams")
    assert isinstance(streams, list), streams
    demo = [s for s in streams if s["name"] == "demo"]
    assert len(demo) == 1, streams
    assert demo[0]["ready"] is True, demo
    for key in ("source", "readers", "bytes_sent"):
        assert key in demo[0], (key, demo)


def test_admin_status_methods(rpc):
    metrics = rpc.result("get_metrics")
    for key in ("active_connections", "total_requests", "average_response_time", "error_rate", "memory_usage",
                "cpu_usage"):
        assert isinstance(metrics[key], (int, float)), (key, metrics)
    assert metrics["active_connections"] >= 1 and metrics["total_requests"] >= 1, metrics
    status = rpc.result("get_status")
    assert isinstance(status["status"], str) and status["uptime"] >= 0 and status["version"], status
    assert isinstance(status["components"], dict), status
    info = rpc.result("get_server_info")
    assert info["name"] and info["version"] == status["version"], info
    assert isinstance(info["capabilities"], list) and isinstance(info["supported_formats"], list), info
    assert isinstance(info["max_cameras"], int), info


@pytest.mark.parametrize("method", ["get_metrics", "get_status", "get_server_info"])
def test_admin_methods_refuse_a_viewer(srv, viewer, method):
    with RpcClient(srv.ws_url, viewer.token) as client:
        assert client.error(method)["code"] == FORBIDDEN
        assert client.result("ping") == "pong"


def test_recording_and_snapshot_methods_name_what_does_not_exist(rpc):
    # Their successes are in test_recording.py and test_snapshot.py.
    assert rpc.error("get_recording_info", {"filename": "x.mp4"})["code"] == -32602
    assert rpc.error("delete_snapshot", {"filename": "x.jpg"})["code"] == -32602
    assert rpc.error("take_snapshot", {"device": "nope"})["code"] == -32004
    assert rpc.error("stop_recording", {"device": "demo"})["code"] == -32602
    assert rpc.result("list_snapshots", {"limit": 10, "offset": 0})["total"] == 0
    # Nothing recorded yet: retention still runs (the recordings folder exists from the start).
    assert rpc.result("cleanup_old_files")["cleanup_executed"] is True


# ---------------------------------------------------------------------------------------------
# Framing errors and batches


def test_malformed_json_is_a_parse_error_and_the_connection_stays_usable(rpc):
    rpc.send_text('{"jsonrpc": "2.0", "method": "ping", "id": 1')
    response = rpc.recv_response()
    assert response["error"]["code"] == -32700 and response["id"] is None, response
    rpc.send_text("not json at all")
    assert rpc.recv_response()["error"]["code"] == -32700
    assert rpc.result("ping") == "pong"


@pytest.mark.parametrize("frame,codes", [
    ('{"jsonrpc": "2.0", "id": 5}', (-32600,)),
    ('{"jsonrpc": "1.0", "method": "ping", "id": 6}', (-32600,)),
    ('{"jsonrpc": "2.0", "method": 12, "id": 7}', (-32600,)),
    ('{"jsonrpc": "2.0", "method": "ping", "params": "x", "id": 8}', (-32600, -32602)),
    ("42", (-32600,)),
    ("[]", (-32600,)),
], ids=["no-method", "wrong-version", "method-number", "params-string", "number", "empty-batch"])
def test_invalid_requests(rpc, frame, codes):
    rpc.send_text(frame)
    response = rpc.recv_response()
    assert isinstance(response, dict), response  # an empty batch gets one error, not an array
    assert response["error"]["code"] in codes, response
    assert rpc.result("ping") == "pong"


def test_unknown_method(rpc):
    error = rpc.error("get_the_moon")
    assert error["code"] == -32601, error


@pytest.mark.parametrize("method,params", [
    ("get_camera_status", {"device": 5}),
    ("get_camera_status", {}),
    ("subscribe_events", {"topics": "camera_status"}),
    ("subscribe_events", {"topics": ["no_such_topic"]}),
], ids=["device-number", "device-missing", "topics-string", "unknown-topic"])
def test_wrong_params(rpc, method, params):
    assert rpc.error(method, params)["code"] == -32602


def test_batch(rpc):
    rpc.send_json([
        {"jsonrpc": "2.0", "method": "ping", "id": "a"},
        {"jsonrpc": "2.0", "method": "get_camera_list", "id": "b"},
        {"jsonrpc": "2.0", "method": "ping"},  # a notification: not answered
        {"jsonrpc": "2.0", "method": "get_the_moon", "id": "c"},
        1,
    ])
    batch = rpc.recv_response()
    assert isinstance(batch, list) and len(batch) == 4, batch
    by_id = {r.get("id"): r for r in batch}
    assert by_id["a"]["result"] == "pong", batch
    assert "demo" in [c["device"] for c in by_id["b"]["result"]["cameras"]], batch
    assert by_id["c"]["error"]["code"] == -32601, batch
    assert by_id[None]["error"]["code"] == -32600, batch


def test_batch_of_notifications_gets_no_answer(rpc):
    rpc.send_json([{"jsonrpc": "2.0", "method": "ping"}, {"jsonrpc": "2.0", "method": "ping"}])
    rpc.notify("ping")
    rpc.send_json({"jsonrpc": "2.0", "method": "ping", "id": 999})
    # The next thing the server says is the answer to id 999.
    assert rpc.recv_response() == {"jsonrpc": "2.0", "result": "pong", "id": 999}


# ---------------------------------------------------------------------------------------------
# Events


def test_subscribe_and_unsubscribe(srv, admin, viewer, procs):
    ok(admin.post("/cameras", {"id": "rpcpub", "name": "RPC publisher", "source": "publisher"}), 201)
    with RpcClient(srv.ws_url, viewer.token) as watcher, RpcClient(srv.ws_url, admin.token) as quitter:
        assert "camera_status" in json.dumps(watcher.result("subscribe_events", {"topics": ["camera_status"]}))
        quitter.result("subscribe_events", {"topics": ["camera_status"]})
        quitter.result("unsubscribe_events", {"topics": ["camera_status"]})

        pub = publish_testsrc(procs, srv, "cameras/rpcpub")
        note = watcher.wait_notification(camera_status_update("rpcpub", "online"), timeout=30)
        params = note["params"]
        assert note["jsonrpc"] == "2.0" and "id" not in note, note
        assert params["name"] == "RPC publisher" and "streams" in params and "resolution" in params, note
        # Anything queued for the unsubscribed connection is before this answer.
        assert quitter.result("ping") == "pong"
        assert not [n for n in quitter.notifications if n.get("method") == "camera_status_update"], \
            quitter.notifications

        pub.stop()
        watcher.wait_notification(camera_status_update("rpcpub", "offline"), timeout=30)


# ---------------------------------------------------------------------------------------------
# Limits


def test_oversized_frame_closes_only_that_connection(srv, rpc, admin):
    big = RpcClient(srv.ws_url, admin.token)
    try:
        padding = "x" * (1024 * 1024 + 100)
        big.send_text(json.dumps({"jsonrpc": "2.0", "method": "ping", "id": 1, "params": {"pad": padding}}))
        code, _ = big.wait_closed()
        assert code == 1009, code
    finally:
        big.close()
    assert rpc.result("ping") == "pong"
    with RpcClient(srv.ws_url, admin.token) as fresh:
        assert fresh.result("ping") == "pong"
    assert srv.proc.poll() is None
