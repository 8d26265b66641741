"""File downloads (/files/recordings, /files/snapshots: credentials, Range, names outside the
folder), /healthz, /readyz, /metrics (checked with promtool), the served OpenAPI document, and
malformed or oversized HTTP requests."""

import json
import os
import re
import socket
import subprocess

import pytest
import requests

from conftest import ROOT
from lib.api_client import Api, api_key, assert_error, bearer, ok, raw_request

CONTENT = bytes((i * 7 + 3) % 256 for i in range(5000))


@pytest.fixture(scope="module")
def srv(make_module_server):
    server = make_module_server().wait_http()
    recordings = server.data_dir / "recordings"
    snapshots = server.data_dir / "snapshots"
    recordings.mkdir(parents=True, exist_ok=True)
    snapshots.mkdir(parents=True, exist_ok=True)
    (recordings / "x.mp4").write_bytes(CONTENT)
    (snapshots / "s.jpg").write_bytes(CONTENT[:1000])
    (server.data_dir / "secret.txt").write_text("not for download")
    secret = server.dir / "outside.txt"
    secret.write_text("root:x:0:0 outside the recordings folder")
    os.symlink(secret, recordings / "link.mp4")
    os.symlink("/etc", recordings / "linkdir")
    return server


@pytest.fixture(scope="module")
def viewer(srv, admin):
    admin.create_user("filesviewer", "viewer-pass-1", "viewer")
    return Api.as_user(srv, "filesviewer", "viewer-pass-1")


# ---------------------------------------------------------------------------------------------
# Health, readiness, the document


def test_healthz_and_readyz(srv):
    r = requests.get(srv.http("/healthz"), timeout=10)
    assert r.status_code == 200 and r.json()["status"] == "ok", r.text
    assert r.headers.get("X-Request-Id")
    r = requests.get(srv.http("/readyz"), timeout=10)
    body = ok(r)
    assert body["status"] == "ready", body
    assert isinstance(body.get("checks"), dict), f"Readiness needs 'checks' (openapi.json): {body}"


def test_openapi_document_is_served(srv):
    served = ok(requests.get(srv.api("/openapi.json"), timeout=10))
    source = json.loads((ROOT / "src/api/openapi.json").read_text())
    assert served["openapi"] == source["openapi"] and served["paths"].keys() == source["paths"].keys()


# ---------------------------------------------------------------------------------------------
# /metrics


def test_metrics_needs_admin_or_system_read(srv, admin, viewer):
    assert_error(requests.get(srv.http("/metrics"), timeout=10), 401, "AUTH_TOKEN_MISSING")
    assert_error(viewer.get(srv.http("/metrics")), 403, "AUTH_INSUFFICIENT_PERMISSIONS")
    token = admin.create_token("scraper", ["system:read"])["token"]
    r = requests.get(srv.http("/metrics"), headers=bearer(token), timeout=10)
    assert r.status_code == 200 and "ocellus_streams" in r.text, r.text[:500]


def test_metrics_are_valid_prometheus_text(srv, admin):
    for _ in range(3):
        ok(admin.get("/cameras"))  # some HTTP requests to measure
    r = admin.get(srv.http("/metrics"))
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain"), r.headers
    check = subprocess.run(["promtool", "check", "metrics"], input=r.text, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"promtool: {check.stdout}{check.stderr}\n{r.text[:3000]}"
    streams = re.search(r"^ocellus_streams(?:\{[^}]*\})? (\d+(?:\.\d+)?)$", r.text, re.M)
    assert streams and float(streams.group(1)) >= 1, r.text[:3000]  # the demo
    histograms = re.findall(r"^# TYPE (ocellus_\w*http\w*) histogram$", r.text, re.M)
    assert histograms, r.text[:3000]
    name = histograms[0]
    count = re.search(rf'^{name}_bucket\{{le="\+Inf"\}} (\d+)$', r.text, re.M)
    assert count and int(count.group(1)) >= 3, r.text[:3000]
    assert re.search(rf"^{name}_sum ", r.text, re.M) and re.search(rf"^{name}_count ", r.text, re.M)


# ---------------------------------------------------------------------------------------------
# Files


def test_recording_download_with_bearer(srv, admin):
    r = admin.get(srv.http("/files/recordings/x.mp4"))
    assert r.status_code == 200, r.text[:500]
    assert r.content == CONTENT
    assert r.headers["Content-Type"] == "video/mp4", r.headers
    assert "x.mp4" in r.headers.get("Content-Disposition", ""), r.headers
    assert r.headers.get("Accept-Ranges") == "bytes", r.headers


def test_recording_download_with_an_api_key(srv, admin):
    token = admin.create_token("downloader", ["recordings:read"])["token"]
    r = requests.get(srv.http("/files/recordings/x.mp4"), headers=api_key(token), timeout=10)
    assert r.status_code == 200 and r.content == CONTENT, r.text[:500]
    # A token without recordings:read may not.
    other = admin.create_token("no-recordings", ["cameras:read"])["token"]
    r = requests.get(srv.http("/files/recordings/x.mp4"), headers=api_key(other), timeout=10)
    assert_error(r, 403, "AUTH_INSUFFICIENT_PERMISSIONS")


def test_viewer_downloads_too(srv, viewer):
    r = viewer.get(srv.http("/files/recordings/x.mp4"))
    assert r.status_code == 200 and r.content == CONTENT


@pytest.mark.parametrize("range_header,first,last", [
    ("bytes=100-199", 100, 199),
    ("bytes=4990-", 4990, 4999),
    ("bytes=-10", 4990, 4999),
    ("bytes=0-0", 0, 0),
], ids=["middle", "open-end", "suffix", "first-byte"])
def test_range_requests(srv, admin, range_header, first, last):
    r = admin.get(srv.http("/files/recordings/x.mp4"), headers={"Range": range_header})
    assert r.status_code == 206, (r.status_code, r.text[:500])
    assert r.headers["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}", r.headers
    assert r.content == CONTENT[first:last + 1]
    assert int(r.headers["Content-Length"]) == last - first + 1


def test_unsatisfiable_range(srv, admin):
    r = admin.get(srv.http("/files/recordings/x.mp4"), headers={"Range": "bytes=6000-7000"})
    assert r.status_code == 416, r.status_code
    assert r.headers.get("Content-Range") == f"bytes */{len(CONTENT)}", r.headers


def test_snapshot_download(srv, admin):
    r = admin.get(srv.http("/files/snapshots/s.jpg"))
    assert r.status_code == 200 and r.content == CONTENT[:1000], r.text[:500]
    assert r.headers["Content-Type"] == "image/jpeg", r.headers


def test_files_need_credentials(srv):
    for target in ("/files/recordings/x.mp4", "/files/snapshots/s.jpg", "/files/recordings/nope.mp4"):
        assert_error(requests.get(srv.http(target), timeout=10), 401, "AUTH_TOKEN_MISSING")
    assert_error(requests.get(srv.http("/files/recordings/x.mp4"), headers=bearer("garbage"), timeout=10), 401,
                 "AUTH_TOKEN_INVALID")


@pytest.mark.parametrize("target", [
    "/files/recordings/../../etc/passwd",
    "/files/recordings/../secret.txt",
    "/files/recordings/..%2f..%2fetc%2fpasswd",
    "/files/recordings/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/files/recordings/%2e%2e/%2e%2e/etc/passwd",
    "/files/recordings/%2e%2e%2fsecret.txt",
    "/files/recordings//etc/passwd",
    "/files/recordings/%2fetc%2fpasswd",
    "/files/snapshots/../recordings/x.mp4",
    "/files/snapshots/%2e%2e%2frecordings%2fx.mp4",
    "/files/recordings/link.mp4",
    "/files/recordings/linkdir/passwd",
    "/files/recordings/nope.mp4",
    "/files/recordings/",
], ids=["dots", "dots-to-data-dir", "encoded-slashes", "encoded-dots-and-slashes", "encoded-dots",
        "encoded-to-data-dir", "absolute", "encoded-absolute", "other-folder", "encoded-other-folder",
        "symlink-file", "symlink-dir", "missing", "folder"])
def test_names_outside_the_folder_are_404(srv, admin, target):
    r = raw_request(srv, "GET", target, headers=admin.headers)
    assert_error(r, 404)
    assert b"root:" not in r.content and b"not for download" not in r.content and CONTENT[:100] not in r.content


def test_nul_in_a_name_is_refused(srv, admin):
    r = raw_request(srv, "GET", "/files/recordings/x.mp4%00.txt", headers=admin.headers)
    assert r.status_code in (400, 404), r.status_code
    assert CONTENT[:100] not in r.content


# ---------------------------------------------------------------------------------------------
# Malformed and oversized requests


@pytest.mark.parametrize("body", [b'{"name": "x", "source": ', b"not json", b"[1, 2]", b'"a string"', b""],
                         ids=["truncated", "text", "array", "string", "empty"])
def test_malformed_json_body_is_400(srv, admin, body):
    r = admin.post("/cameras", data=body, headers={"Content-Type": "application/json"})
    assert_error(r, 400, ("VALIDATION_FAILED", "BAD_REQUEST"))
    assert ok(requests.get(srv.http("/healthz"), timeout=10))["status"] == "ok"


@pytest.mark.parametrize("path,body,field", [
    ("/cameras", {"name": ["x"], "source": "publisher"}, "name"),
    ("/cameras", {"name": "x", "source": {"url": "rtsp://h/p"}}, "source"),
    ("/users", {"username": "typed", "password": 12345678, "role": "viewer"}, "password"),
    ("/tokens", {"name": "typed", "permissions": [1, 2]}, "permissions"),
], ids=["camera-name", "camera-source", "user-password", "token-permissions"])
def test_wrong_json_types_name_the_field(admin, path, body, field):
    assert_error(admin.post(path, body), 400, "VALIDATION_FAILED", field=field)


def test_login_with_malformed_json(srv):
    r = requests.post(srv.api("/auth/login"), data=b"{username", headers={"Content-Type": "application/json"},
                      timeout=10)
    assert_error(r, 400, ("VALIDATION_FAILED", "BAD_REQUEST"))


def test_body_over_1_mib_is_413_and_the_server_goes_on(srv, admin):
    body = json.dumps({"name": "big", "source": "publisher", "place": "x" * (1024 * 1024 + 10)}).encode()
    r = raw_request(srv, "POST", "/api/v1/cameras", body=body,
                    headers={**admin.headers, "Content-Type": "application/json"})
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert "big" not in [c["name"] for c in ok(admin.get("/cameras"))["cameras"]]
    assert ok(requests.get(srv.http("/healthz"), timeout=10))["status"] == "ok"


def test_unknown_route_and_wrong_method(srv, admin):
    assert_error(admin.get("/no-such-thing"), 404, "NOT_FOUND")
    r = admin.request("PATCH", "/cameras")
    assert_error(r, 405, "METHOD_NOT_ALLOWED")
    allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
    assert {"GET", "POST"} <= allow, r.headers


def test_oversized_headers_are_431(srv):
    r = raw_request(srv, "GET", "/healthz", headers={"X-Padding": "p" * (20 * 1024)})
    assert r.status_code == 431, r.status_code
    assert ok(requests.get(srv.http("/healthz"), timeout=10))["status"] == "ok"


def test_garbage_request_is_400_and_the_server_goes_on(srv):
    with socket.create_connection(("127.0.0.1", srv.http_port), timeout=10) as s:
        s.sendall(b"\x00\x01 garbage \xff\r\n\r\n")
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert ok(requests.get(srv.http("/healthz"), timeout=10))["status"] == "ok"
