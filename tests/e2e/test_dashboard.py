"""The dashboard as ocellus serves it (embedded at build time): GET / with its security and cache
headers, hashed assets precompressed (gzip when asked, the same bytes as they are otherwise),
cached for a year, 404 for anything else under /assets/; and the per-user preferences the
dashboard stores on the server (GET/PUT /api/v1/users/me/preferences)."""

import gzip
import re

import pytest
import requests

from lib.api_client import Api, api_key, assert_error, ok

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
       "base-uri 'self'; form-action 'self'")


def raw_get(srv, path, accept_encoding, method="GET"):
    """The response with its body as sent (requests would otherwise undo the gzip)."""
    r = requests.request(method, srv.http(path), headers={"Accept-Encoding": accept_encoding}, stream=True,
                         timeout=10)
    r.raw_body = r.raw.read(decode_content=False)
    return r


def asset_names(srv):
    page = raw_get(srv, "/", "identity").raw_body.decode()
    names = re.findall(r'(?:src|href)="/(assets/[^"]+)"', page)
    assert names, page
    return names


def test_the_page_has_the_policy_and_is_revalidated(srv):
    r = raw_get(srv, "/", "identity")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Content-Security-Policy"] == CSP
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["Vary"] == "Accept-Encoding"
    assert "Content-Encoding" not in r.headers
    assert b'<div id="root">' in r.raw_body

    head = raw_get(srv, "/", "identity", method="HEAD")
    assert head.status_code == 200 and head.raw_body == b""
    assert head.headers["Content-Length"] == str(len(r.raw_body))
    assert head.headers["Content-Security-Policy"] == CSP


def test_every_asset_the_page_names_is_served_and_cached_for_good(srv):
    for name in asset_names(srv):
        r = raw_get(srv, "/" + name, "gzip, deflate, br")
        assert r.status_code == 200, name
        assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable", name
        assert r.headers["X-Content-Type-Options"] == "nosniff", name
        expected = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
        assert r.headers["Content-Type"] == expected[name[name.rindex("."):]], name


@pytest.mark.parametrize("path", ["/", "entry script"])
def test_gzip_when_asked_the_same_bytes_as_they_are_when_not(srv, path):
    if path == "entry script":
        path = "/" + next(n for n in asset_names(srv) if n.endswith(".js"))
    packed = raw_get(srv, path, "gzip")
    plain = raw_get(srv, path, "identity")
    refused = raw_get(srv, path, "gzip;q=0, br")
    assert packed.status_code == plain.status_code == refused.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers and "Content-Encoding" not in refused.headers
    for r in (packed, plain, refused):
        assert r.headers["Vary"] == "Accept-Encoding"
        assert r.headers["Content-Length"] == str(len(r.raw_body))
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"]
    assert gzip.decompress(packed.raw_body) == plain.raw_body == refused.raw_body
    assert len(packed.raw_body) < len(plain.raw_body)


@pytest.mark.parametrize("path", ["/assets/nothing-here.js", "/assets/", "/assets/index.html"])
def test_anything_else_under_assets_is_the_contracts_404(srv, path):
    r = requests.get(srv.http(path), timeout=10)
    assert_error(r, 404, "NOT_FOUND")


def test_a_precompressed_copy_is_not_served_by_its_own_name(srv):
    script = next(n for n in asset_names(srv) if n.endswith(".js"))
    assert_error(requests.get(srv.http(f"/{script}.gz"), timeout=10), 404, "NOT_FOUND")


# ---------------------------------------------------------------------------------------------
# Preferences


def test_preferences_are_empty_until_saved_then_replaced_whole(srv, admin):
    admin.create_user("prefs-alice", "alice-pass-1234", "viewer")
    alice = Api.as_user(srv, "prefs-alice", "alice-pass-1234")
    assert ok(alice.get("/users/me/preferences")) == {}

    saved = {"live": {"layout": 4, "order": ["demo"]}, "theme": "dark"}
    assert ok(alice.put("/users/me/preferences", saved)) == saved
    assert ok(alice.get("/users/me/preferences")) == saved
    assert ok(alice.put("/users/me/preferences", {"live": {"layout": 9}})) == {"live": {"layout": 9}}
    assert ok(alice.get("/users/me/preferences")) == {"live": {"layout": 9}}
    # Per user: another user's are their own.
    admin.create_user("prefs-bob", "bob-pass-12345", "operator")
    assert ok(Api.as_user(srv, "prefs-bob", "bob-pass-12345").get("/users/me/preferences")) == {}


def test_an_api_token_reads_and_writes_its_owners_preferences(srv, admin):
    token = admin.create_token("prefs-token", ["cameras:read"])
    with_token = Api(srv, api_key(token["token"]))
    ok(admin.put("/users/me/preferences", {"live": {"layout": 16}}))
    assert ok(with_token.get("/users/me/preferences")) == {"live": {"layout": 16}}
    ok(with_token.put("/users/me/preferences", {"live": {"layout": 1}}))
    assert ok(admin.get("/users/me/preferences")) == {"live": {"layout": 1}}


@pytest.mark.parametrize("body, reason", [
    ("[1, 2]", "expected a JSON object"),
    ("\"layout\"", "expected a JSON object"),
    ("{\"live\": ", "not valid JSON"),
    ("{\"x\": \"" + "a" * 16400 + "\"}", "larger than 16384 bytes"),
])
def test_preferences_refuse_what_is_not_a_small_object(srv, admin, body, reason):
    ok(admin.put("/users/me/preferences", {"kept": True}))
    r = admin.put("/users/me/preferences", data=body, headers={"Content-Type": "application/json"})
    error = assert_error(r, 400, "VALIDATION_FAILED", field="body")
    assert reason in error["message"], error
    assert ok(admin.get("/users/me/preferences")) == {"kept": True}


def test_preferences_need_a_credential(srv):
    assert_error(requests.get(srv.api("/users/me/preferences"), timeout=10), 401)
    assert_error(requests.put(srv.api("/users/me/preferences"), json={}, timeout=10), 401)
