"""The role and permission matrix, driven by the OpenAPI document (x-ocellus-role and
x-ocellus-permission of every operation) and by the JSON-RPC method table of API-CONTRACT §1:
a role below an operation's gets 403 AUTH_INSUFFICIENT_PERMISSIONS (REST) or -32003 (JSON-RPC),
a role at or above it gets through (it may still get 400/404/409 for the data it sent);
API tokens need the operation's permission, and camera-scoped tokens see only their cameras."""

import json
import re

import pytest
import requests

from conftest import ROOT
from lib.api_client import Api, RpcClient, assert_error, bearer, ok

DOC = json.loads((ROOT / "src/api/openapi.json").read_text())
RANK = {"viewer": 0, "operator": 1, "admin": 2}
ROLES = ["viewer", "operator", "admin"]
PERMISSIONS = DOC["components"]["schemas"]["Permission"]["enum"]


def server_path(servers):
    if not servers:
        return None
    url = servers[0]["url"]
    return re.sub(r"^[a-z]+://[^/]+", "", url).rstrip("/")


def operations():
    """(method, doc path, full path prefix, role, permission) of every operation."""
    top = server_path(DOC.get("servers")) or ""
    ops = []
    for path, item in DOC["paths"].items():
        for method in ("get", "put", "post", "delete", "patch"):
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base = server_path(op.get("servers"))
            if base is None:
                base = server_path(item.get("servers"))
            if base is None:
                base = top
            ops.append((method.upper(), path, base, op.get("x-ocellus-role"), op.get("x-ocellus-permission")))
    return ops


OPS = operations()
PROTECTED = [op for op in OPS if op[3] in RANK]
ANY = [op for op in OPS if op[3] == "any"]

BODIES = {
    ("POST", "/cameras"): {},
    ("PUT", "/cameras/{id}"): {"name": "x"},
    ("POST", "/users"): {},
    ("PUT", "/users/{id}"): {"role": "viewer"},
    ("POST", "/tokens"): {},
    ("PUT", "/tokens/{id}/permissions"): {"permissions": ["cameras:read"]},
    ("POST", "/cameras/{id}/recording/start"): {},
    ("PUT", "/recordings/{id}"): {"keep": True},
}
QUERIES = {
    "/recordings/export": {"camera": "demo", "from": "2024-01-01T00:00:00Z", "to": "2024-01-01T00:01:00Z"},
    "/recordings/timeline/{cameraId}": {"from": "2024-01-01T00:00:00Z", "to": "2024-01-01T00:01:00Z"},
    "/recordings/playlist/{cameraId}": {"from": "2024-01-01T00:00:00Z", "to": "2024-01-01T00:01:00Z"},
}


def concrete(method, path):
    """The path with values that leave the server's data alone: reads of the demo camera; writes
    (and stream-key rotation, recording) to cameras, users, tokens and alerts that do not exist (404)."""
    if path.startswith("/cameras/{id}"):
        writes = method in ("PUT", "DELETE") or path.endswith(("/rtmp-url/rotate", "/recording/start", "/recording/stop"))
        value = "no-such-cam" if writes else "demo"
    elif path.startswith("/analytics/cameras/{id}") or "{cameraId}" in path:
        value = "demo"
    elif path.startswith("/tokens/{id}"):
        value = "tok_none"
    else:  # users, alerts, recordings, files: numeric ids or names that do not exist
        value = "999999"
    return path.replace("{id}", value).replace("{cameraId}", value).replace("{path}", value)


def call(server, op, headers):
    method, path, base, _, _ = op
    url = server.http(base + concrete(method, path))
    return requests.request(method, url, json=BODIES.get((method, path)), params=QUERIES.get(path),
                            headers=headers, timeout=10)


def op_id(op):
    return f"{op[0]} {op[2]}{op[1]}"


def assert_allowed(r, op):
    """Got through authorization: no 401/403, and the route exists (no router 404/405)."""
    assert r.status_code not in (401, 403), f"{op_id(op)}: {r.status_code} {r.text[:1000]}"
    assert r.status_code != 405, f"{op_id(op)} is not routed: {r.text[:1000]}"
    if r.status_code == 404:
        code = r.json()["error"]["code"]
        assert code != "NOT_FOUND" and code.endswith("_NOT_FOUND"), f"{op_id(op)}: route missing? {r.text[:1000]}"
    assert r.status_code not in (500, 501), f"{op_id(op)}: {r.text[:1000]}"


@pytest.fixture(scope="module")
def role_headers(srv, admin):
    """Bearer headers of a freshly created user of each role."""
    headers = {}
    for role in ROLES:
        admin.create_user(f"role-{role}", f"{role}-pass-123", role)
        headers[role] = Api.as_user(srv, f"role-{role}", f"{role}-pass-123").headers
    return headers


@pytest.fixture(scope="module")
def permission_tokens(admin):
    """For each permission: a token with only it, and a token with every other one."""
    tokens = {}
    for p in PERMISSIONS:
        only = admin.create_token(f"only-{p}", [p])["token"]
        others = admin.create_token(f"all-but-{p}", [q for q in PERMISSIONS if q != p])["token"]
        tokens[p] = (only, others)
    return tokens


def test_the_document_names_a_role_and_permission_for_every_operation():
    for op in OPS:
        assert op[3] in ("none", "any", "viewer", "operator", "admin"), op
        if op[3] in RANK:
            assert op[4] in PERMISSIONS, op
    assert len(PROTECTED) >= 30, len(PROTECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", PROTECTED, ids=op_id)
def test_rest_role_matrix(srv, role_headers, op, role):
    r = call(srv, op, role_headers[role])
    if RANK[role] < RANK[op[3]]:
        error = assert_error(r, 403, "AUTH_INSUFFICIENT_PERMISSIONS")
        assert error["message"], error
    else:
        assert_allowed(r, op)


@pytest.mark.parametrize("op", PROTECTED + ANY, ids=op_id)
def test_rest_without_credentials(srv, op):
    assert_error(call(srv, op, {}), 401, "AUTH_TOKEN_MISSING")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", [op for op in ANY if op[0] == "GET"], ids=op_id)
def test_rest_any_role(srv, role_headers, op, role):
    assert_allowed(call(srv, op, role_headers[role]), op)


@pytest.mark.parametrize("op", PROTECTED, ids=op_id)
def test_rest_token_permission_matrix(srv, permission_tokens, op):
    only, others = permission_tokens[op[4]]
    assert_error(call(srv, op, {"X-API-Key": others}), 403, "AUTH_INSUFFICIENT_PERMISSIONS")
    assert_allowed(call(srv, op, bearer(only)), op)


def test_camera_scoped_tokens(srv, admin):
    ok(admin.post("/cameras", {"id": "scoped-a", "name": "A", "source": "publisher"}), 201)
    ok(admin.post("/cameras", {"id": "scoped-b", "name": "B", "source": "publisher"}), 201)
    token = admin.create_token("scope-a", ["cameras:read"], camera_scope=["scoped-a"])["token"]
    assert ok(requests.get(srv.api("/auth/me"), headers=bearer(token), timeout=10))["camera_scope"] == ["scoped-a"]
    listed = ok(requests.get(srv.api("/cameras"), headers=bearer(token), timeout=10))
    assert [c["id"] for c in listed["cameras"]] == ["scoped-a"] and listed["total"] == 1, listed
    ok(requests.get(srv.api("/cameras/scoped-a"), headers=bearer(token), timeout=10))
    for camera in ("scoped-b", "demo"):
        r = requests.get(srv.api(f"/cameras/{camera}"), headers=bearer(token), timeout=10)
        assert_error(r, 403, "AUTH_INSUFFICIENT_PERMISSIONS")
    with RpcClient(srv.ws_url, token) as rpc:
        assert [c["device"] for c in rpc.result("get_camera_list")["cameras"]] == ["scoped-a"]
        assert rpc.result("get_camera_status", {"device": "scoped-a"})["device"] == "scoped-a"
        assert rpc.error("get_camera_status", {"device": "demo"})["code"] == -32003


# ---------------------------------------------------------------------------------------------
# JSON-RPC: the method table of API-CONTRACT §1

RPC_METHODS = [
    ("ping", "viewer", None),
    ("get_camera_list", "viewer", None),
    ("get_camera_status", "viewer", {"device": "demo"}),
    ("get_camera_capabilities", "viewer", {"device": "demo"}),
    ("take_snapshot", "operator", {"device": "demo"}),
    ("start_recording", "operator", {"device": "demo", "duration": 5}),
    ("stop_recording", "operator", {"device": "demo"}),
    ("list_recordings", "viewer", {"limit": 10, "offset": 0}),
    ("list_snapshots", "viewer", {"limit": 10, "offset": 0}),
    ("get_recording_info", "viewer", {"filename": "x.mp4"}),
    ("get_snapshot_info", "viewer", {"filename": "x.jpg"}),
    ("delete_recording", "operator", {"filename": "x.mp4"}),
    ("delete_snapshot", "operator", {"filename": "x.jpg"}),
    ("get_storage_info", "admin", None),
    ("set_retention_policy", "admin", {"policy_type": "manual", "enabled": False}),
    ("cleanup_old_files", "admin", None),
    ("get_streams", "viewer", None),
    ("get_metrics", "admin", None),
    ("get_status", "admin", None),
    ("get_server_info", "admin", None),
    ("subscribe_events", "viewer", {"topics": ["camera_status"]}),
    ("unsubscribe_events", "viewer", {"topics": ["camera_status"]}),
]


@pytest.fixture(scope="module")
def rpc_clients(srv, role_headers):
    clients = {role: RpcClient(srv.ws_url, role_headers[role]["Authorization"].split(" ", 1)[1]) for role in ROLES}
    yield clients
    for client in clients.values():
        client.close()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,needs,params", RPC_METHODS, ids=[m for m, _, _ in RPC_METHODS])
def test_jsonrpc_role_matrix(rpc_clients, method, needs, params, role):
    response = rpc_clients[role].call(method, params)
    if RANK[role] < RANK[needs]:
        assert response.get("error", {}).get("code") == -32003, response
    else:
        code = response.get("error", {}).get("code")
        assert code not in (-32001, -32003, -32601), response


def test_jsonrpc_authenticate_reports_the_role(srv, role_headers):
    for role in ROLES:
        with RpcClient(srv.ws_url) as rpc:
            result = rpc.result("authenticate", {"auth_token": role_headers[role]["Authorization"].split(" ", 1)[1]})
            assert result["role"] == role, result
            assert ("users:manage" in result["permissions"]) == (role == "admin"), result
            assert ("recordings:write" in result["permissions"]) == (role != "viewer"), result
