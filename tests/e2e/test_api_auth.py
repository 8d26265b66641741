"""REST authentication: login, refresh-token rotation and reuse detection, logout, /auth/me, the
error body, the login throttle, users (admin only), API tokens (secret shown once, Bearer and
X-API-Key, permissions, revocation, hourly rate limit, expiry), and store users and API tokens
signing in to RTSP."""

import base64
import datetime
import itertools
import json
import urllib.parse

import pytest
import requests

from conftest import ffprobe_run, wait_until
from lib.api_client import Api, api_key, assert_error, bearer, login, login_response, ok, parse_time, \
    raw_request, rfc3339
from lib.rtsp_raw import RawRtsp

_names = itertools.count(1)


def unique(prefix):
    return f"{prefix}{next(_names)}"


# ---------------------------------------------------------------------------------------------
# Login, tokens of a session, /auth/me


def test_login_returns_a_token_pair_and_the_user(srv):
    r = login_response(srv)
    body = ok(r)
    assert body["token_type"] == "Bearer"
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2, body  # a JWT
    assert isinstance(body["refresh_token"], str) and len(body["refresh_token"]) >= 16, body
    assert body["access_token"] != body["refresh_token"]
    assert body["expires_in"] == 900, body  # auth.access_token_ttl_seconds default
    user = body["user"]
    assert user["username"] == "admin" and user["role"] == "admin", user
    assert isinstance(user["id"], int) and user["is_active"] is True, user
    text = r.text.lower()
    assert srv.admin_password.lower() not in text and "hash" not in text and "argon" not in text, r.text
    # The access token works at once.
    me = ok(requests.get(srv.api("/auth/me"), headers=bearer(body["access_token"]), timeout=10))
    assert me["kind"] == "user" and me["user"]["username"] == "admin"


def test_wrong_password_and_unknown_user_get_the_same_401(srv):
    wrong = assert_error(login_response(srv, "admin", "not-the-password"), 401, "AUTH_CREDENTIALS_INVALID")
    unknown = assert_error(login_response(srv, "nobody-here", "whatever-pass"), 401, "AUTH_CREDENTIALS_INVALID")
    # The answer does not tell which half was wrong.
    assert wrong["message"] == unknown["message"]
    assert wrong["requestId"] != unknown["requestId"]
    login(srv)  # a success resets the failure count of this address


@pytest.mark.parametrize("body,field", [
    ({"username": "admin"}, "password"),
    ({"password": "x"}, "username"),
    ({"username": 7, "password": "admin-pass-1234"}, "username"),
    ({"username": "admin", "password": ["admin-pass-1234"]}, "password"),
    ({"username": "admin", "password": "admin-pass-1234", "remember_me": "yes"}, "remember_me"),
], ids=["no-password", "no-username", "username-number", "password-array", "remember-me-string"])
def test_login_validates_its_body(srv, body, field):
    r = requests.post(srv.api("/auth/login"), json=body, timeout=10)
    assert_error(r, 400, "VALIDATION_FAILED", field=field)


def test_remember_me_login_gives_a_working_pair(srv):
    body = login(srv, remember_me=True)
    refreshed = ok(requests.post(srv.api("/auth/refresh"), json={"refresh_token": body["refresh_token"]},
                                 timeout=10))
    assert refreshed["refresh_token"] != body["refresh_token"]


def test_error_body_and_request_id(srv):
    r = requests.get(srv.api("/cameras"), timeout=10)
    error = assert_error(r, 401, "AUTH_TOKEN_MISSING")
    assert "details" in error, error
    # A request id the client chose comes back in the header and the body.
    r = requests.get(srv.api("/cameras"), headers={"X-Request-Id": "e2e-request-42"}, timeout=10)
    error = assert_error(r, 401, "AUTH_TOKEN_MISSING")
    assert error["requestId"] == "e2e-request-42"
    # Successful answers carry an id too.
    r = requests.get(srv.api("/auth/me"), headers=bearer(login(srv)["access_token"]), timeout=10)
    assert r.status_code == 200 and r.headers.get("X-Request-Id"), r.headers


def test_me_for_a_user(srv, admin):
    me = ok(admin.get("/auth/me"))
    assert me["kind"] == "user" and me["role"] == "admin", me
    assert me["user"]["username"] == "admin", me
    for permission in ("cameras:read", "cameras:write", "users:manage", "tokens:manage", "system:read"):
        assert permission in me["permissions"], me


def tampered(jwt):
    head, payload, signature = jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{head}.{forged}.{signature}"


def unsigned(jwt):
    _, payload, _ = jwt.split(".")
    head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    return f"{head}.{payload}."


@pytest.mark.parametrize("make_header,code", [
    (lambda jwt: {"Authorization": "Bearer not-a-token"}, "AUTH_TOKEN_INVALID"),
    (lambda jwt: {"Authorization": "Bearer " + tampered(jwt)}, "AUTH_TOKEN_INVALID"),
    (lambda jwt: {"Authorization": "Bearer " + unsigned(jwt)}, "AUTH_TOKEN_INVALID"),
    (lambda jwt: {"Authorization": "Bearer " + jwt[:-4] + ("AAAA" if not jwt.endswith("AAAA") else "BBBB")},
     "AUTH_TOKEN_INVALID"),
    (lambda jwt: {"X-API-Key": "oc_nope_0123456789abcdef"}, "AUTH_TOKEN_INVALID"),
    (lambda jwt: {"Authorization": "Basic " + base64.b64encode(b"admin:admin-pass-1234").decode()},
     ("AUTH_TOKEN_MISSING", "AUTH_TOKEN_INVALID")),
], ids=["garbage", "forged-claims", "alg-none", "bad-signature", "unknown-api-key", "basic-scheme"])
def test_bad_credentials_are_refused(srv, make_header, code):
    jwt = login(srv)["access_token"]
    r = requests.get(srv.api("/auth/me"), headers=make_header(jwt), timeout=10)
    assert_error(r, 401, code)


def test_refresh_rotates_the_pair(srv):
    first = login(srv)
    second = ok(requests.post(srv.api("/auth/refresh"), json={"refresh_token": first["refresh_token"]}, timeout=10))
    assert second["token_type"] == "Bearer" and second["expires_in"] > 0, second
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = ok(requests.get(srv.api("/auth/me"), headers=bearer(second["access_token"]), timeout=10))
    assert me["user"]["username"] == "admin"
    third = ok(requests.post(srv.api("/auth/refresh"), json={"refresh_token": second["refresh_token"]}, timeout=10))
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])


def test_refresh_reuse_revokes_the_whole_family(srv):
    first = login(srv)
    second = ok(requests.post(srv.api("/auth/refresh"), json={"refresh_token": first["refresh_token"]}, timeout=10))
    # The first token again: it leaked. Refused, and every token rotated from that login dies.
    r = requests.post(srv.api("/auth/refresh"), json={"refresh_token": first["refresh_token"]}, timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    r = requests.post(srv.api("/auth/refresh"), json={"refresh_token": second["refresh_token"]}, timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    # Another login's family is not affected.
    other = login(srv)
    ok(requests.post(srv.api("/auth/refresh"), json={"refresh_token": other["refresh_token"]}, timeout=10))


@pytest.mark.parametrize("body,status,field", [
    ({"refresh_token": "no-such-refresh-token"}, 401, None),
    ({}, 400, "refresh_token"),
    ({"refresh_token": 12}, 400, "refresh_token"),
], ids=["unknown", "missing", "number"])
def test_refresh_refuses_bad_tokens(srv, body, status, field):
    r = requests.post(srv.api("/auth/refresh"), json=body, timeout=10)
    assert_error(r, status, "AUTH_TOKEN_INVALID" if status == 401 else "VALIDATION_FAILED", field=field)


def test_logout_revokes_the_refresh_token(srv):
    session = login(srv)
    r = requests.post(srv.api("/auth/logout"), json={"refresh_token": session["refresh_token"]},
                      headers=bearer(session["access_token"]), timeout=10)
    assert r.status_code == 204, r.text
    assert r.content == b""
    r = requests.post(srv.api("/auth/refresh"), json={"refresh_token": session["refresh_token"]}, timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    # Logging out needs a credential.
    r = requests.post(srv.api("/auth/logout"), json={"refresh_token": "x"}, timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_MISSING")


# ---------------------------------------------------------------------------------------------
# Login throttle: 5 failures per username or per address, then 429 with Retry-After


def login_from(srv, ip, username, password):
    return raw_request(srv, "POST", "/api/v1/auth/login", {"username": username, "password": password},
                       source_ip=ip)


def assert_throttled(r):
    assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
    assert int(r.headers["Retry-After"]) >= 1, r.headers


def test_five_failures_for_a_username_lock_it(srv, admin):
    name = unique("locked")
    admin.create_user(name, "right-password-1", "viewer")
    # One failure from each of five addresses: no address reaches the limit, the username does.
    for i in range(5):
        r = login_from(srv, f"127.0.0.{2 + i}", name, "wrong-password")
        assert_error(r, 401, "AUTH_CREDENTIALS_INVALID")
    assert_throttled(login_from(srv, "127.0.0.7", name, "right-password-1"))
    # Other users, from a fresh address, are not locked.
    r = login_from(srv, "127.0.0.8", "admin", srv.admin_password)
    assert r.status_code == 200, r.text


def test_five_failures_from_an_address_lock_it(srv):
    for i in range(5):
        r = login_from(srv, "127.0.0.20", f"ghost{i}", "wrong-password")
        assert_error(r, 401, "AUTH_CREDENTIALS_INVALID")
    # Even the right password is refused from that address now...
    assert_throttled(login_from(srv, "127.0.0.20", "admin", srv.admin_password))
    # ... but not from another one.
    r = login_from(srv, "127.0.0.21", "admin", srv.admin_password)
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------------------------------------
# Users (admin only)


def test_admin_manages_users(srv, admin):
    name = unique("viewer")
    created = admin.create_user(name, "first-password-1", "viewer")
    assert created["username"] == name and created["role"] == "viewer" and created["is_active"] is True, created
    assert isinstance(created["id"], int), created
    assert created["last_login_at"] is None, created
    assert "password" not in created and "password_hash" not in created, created
    parse_time(created["created_at"])

    listed = ok(admin.get("/users"))["users"]
    mine = [u for u in listed if u["username"] == name]
    assert len(mine) == 1 and mine[0]["id"] == created["id"], listed
    assert "first-password-1" not in json.dumps(listed)
    assert any(u["username"] == "admin" and u["role"] == "admin" for u in listed), listed

    session = login(srv, name, "first-password-1")
    assert session["user"]["role"] == "viewer"
    mine = [u for u in ok(admin.get("/users"))["users"] if u["username"] == name]
    assert parse_time(mine[0]["last_login_at"]), mine

    updated = ok(admin.put(f"/users/{created['id']}", {"role": "operator"}))
    assert updated["role"] == "operator" and updated["username"] == name, updated
    assert login(srv, name, "first-password-1")["user"]["role"] == "operator"

    # A new password: the old one stops working, the old refresh token too.
    ok(admin.put(f"/users/{created['id']}", {"password": "second-password-2"}))
    assert_error(login_response(srv, name, "first-password-1"), 401, "AUTH_CREDENTIALS_INVALID")
    r = requests.post(srv.api("/auth/refresh"), json={"refresh_token": session["refresh_token"]}, timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    latest = login(srv, name, "second-password-2")

    r = admin.delete(f"/users/{created['id']}")
    assert r.status_code == 204, r.text
    assert_error(login_response(srv, name, "second-password-2"), 401, "AUTH_CREDENTIALS_INVALID")
    # A deleted user's access token stops working at once.
    r = requests.get(srv.api("/auth/me"), headers=bearer(latest["access_token"]), timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    assert all(u["username"] != name for u in ok(admin.get("/users"))["users"])
    assert_error(admin.delete(f"/users/{created['id']}"), 404, "USER_NOT_FOUND")
    assert_error(admin.put(f"/users/{created['id']}", {"role": "viewer"}), 404, "USER_NOT_FOUND")


def test_deactivated_user_cannot_log_in(srv, admin):
    name = unique("inactive")
    user = admin.create_user(name, "some-password-1", "viewer")
    token = login(srv, name, "some-password-1")["access_token"]
    assert ok(admin.put(f"/users/{user['id']}", {"is_active": False}))["is_active"] is False
    assert_error(login_response(srv, name, "some-password-1"), 401, "AUTH_CREDENTIALS_INVALID")
    assert_error(requests.get(srv.api("/auth/me"), headers=bearer(token), timeout=10), 401, "AUTH_TOKEN_INVALID")
    login(srv)  # resets this address's failure count


@pytest.mark.parametrize("body,field", [
    ({"password": "long-enough-1", "role": "viewer"}, "username"),
    ({"username": "", "password": "long-enough-1", "role": "viewer"}, "username"),
    ({"username": "x" * 65, "password": "long-enough-1", "role": "viewer"}, "username"),
    ({"username": "valid-name", "role": "viewer"}, "password"),
    ({"username": "valid-name", "password": "short", "role": "viewer"}, "password"),
    ({"username": "valid-name", "password": "long-enough-1"}, "role"),
    ({"username": "valid-name", "password": "long-enough-1", "role": "superuser"}, "role"),
    ({"username": 42, "password": "long-enough-1", "role": "viewer"}, "username"),
    ({"username": "valid-name", "password": "long-enough-1", "role": "viewer", "is_active": "yes"}, "is_active"),
], ids=["no-username", "empty-username", "long-username", "no-password", "short-password", "no-role", "bad-role",
        "username-number", "is-active-string"])
def test_user_validation_names_the_field(admin, body, field):
    name = unique("valid-name")
    body = {k: (name if v == "valid-name" else v) for k, v in body.items()}
    assert_error(admin.post("/users", body), 400, "VALIDATION_FAILED", field=field)
    assert all(u["username"] != name for u in ok(admin.get("/users"))["users"])


def test_duplicate_username_is_refused(admin):
    name = unique("twin")
    admin.create_user(name, "long-enough-1", "viewer")
    assert_error(admin.post("/users", {"username": name, "password": "long-enough-2", "role": "viewer"}), 400,
                 ("USERNAME_DUPLICATE", "VALIDATION_FAILED"), field="username")


def test_api_only_user_cannot_log_in_with_a_password(srv, admin):
    name = unique("robot")
    admin.create_user(name, "robot-password-1", "api_only")
    assert_error(login_response(srv, name, "robot-password-1"), 403, "AUTH_ROLE_RESTRICTED")


def test_non_admins_cannot_manage_users(srv, admin):
    name = unique("op")
    admin.create_user(name, "operator-pass-1", "operator")
    op = Api.as_user(srv, name, "operator-pass-1")
    for r in (op.get("/users"), op.post("/users", {"username": "x" + name, "password": "long-enough-1",
                                                   "role": "admin"})):
        assert_error(r, 403, "AUTH_INSUFFICIENT_PERMISSIONS")
    assert all(u["username"] != "x" + name for u in ok(admin.get("/users"))["users"])


# ---------------------------------------------------------------------------------------------
# API tokens


def test_api_token_secret_is_shown_once_and_works_both_ways(srv, admin):
    created = admin.create_token(unique("reader"), ["cameras:read"], remark="e2e")
    secret = created["token"]
    assert isinstance(secret, str) and len(secret) >= 20, created
    assert created["name"].startswith("reader") and created["remark"] == "e2e", created
    assert created["permissions"] == ["cameras:read"], created
    assert created["rate_limit"] == 1000 and created["expires_at"] is None and created["is_active"] is True, created
    assert created["camera_scope"] == [] and created["last_used_at"] is None, created

    listing = admin.get("/tokens")
    tokens = ok(listing)["tokens"]
    mine = [t for t in tokens if t["id"] == created["id"]]
    assert len(mine) == 1, tokens
    assert "token" not in mine[0], mine[0]
    assert secret not in listing.text

    for headers in (bearer(secret), api_key(secret)):
        body = ok(requests.get(srv.api("/cameras"), headers=headers, timeout=10))
        assert "cameras" in body
    me = ok(requests.get(srv.api("/auth/me"), headers=api_key(secret), timeout=10))
    assert me["kind"] == "api_token" and me["permissions"] == ["cameras:read"], me
    assert me["token"]["id"] == created["id"] and "token" not in me["token"], me
    assert secret not in json.dumps(me)
    # Using it is recorded.
    used = [t for t in ok(admin.get("/tokens"))["tokens"] if t["id"] == created["id"]][0]
    assert used["last_used_at"] is not None, used


def test_token_permissions_are_enforced_and_can_be_changed(srv, admin):
    created = admin.create_token(unique("limited"), ["cameras:read"])
    token = Api(srv, bearer(created["token"]))
    assert_error(token.post("/cameras", {"name": "x", "source": "publisher"}), 403, "AUTH_INSUFFICIENT_PERMISSIONS")
    assert_error(token.get("/users"), 403, "AUTH_INSUFFICIENT_PERMISSIONS")

    changed = ok(admin.put(f"/tokens/{created['id']}/permissions", {"permissions": ["cameras:read", "cameras:write"]}))
    assert sorted(changed["permissions"]) == ["cameras:read", "cameras:write"], changed
    # Allowed now: the request reaches validation (no source) instead of being refused.
    assert_error(token.post("/cameras", {"name": "x"}), 400, "VALIDATION_FAILED", field="source")

    ok(admin.put(f"/tokens/{created['id']}/permissions", {"permissions": ["users:manage"]}))
    assert_error(token.get("/cameras"), 403, "AUTH_INSUFFICIENT_PERMISSIONS")
    assert "users" in ok(token.get("/users"))


def test_revoked_token_is_refused(srv, admin):
    created = admin.create_token(unique("revoke"), ["cameras:read"])
    ok(requests.get(srv.api("/cameras"), headers=api_key(created["token"]), timeout=10))
    r = admin.delete(f"/tokens/{created['id']}")
    assert r.status_code == 204, r.text
    for headers in (bearer(created["token"]), api_key(created["token"])):
        assert_error(requests.get(srv.api("/cameras"), headers=headers, timeout=10), 401, "AUTH_TOKEN_INVALID")


def test_unknown_token_id_is_404(admin):
    assert_error(admin.delete("/tokens/tok_does_not_exist"), 404, "TOKEN_NOT_FOUND")
    assert_error(admin.put("/tokens/tok_does_not_exist/permissions", {"permissions": ["cameras:read"]}), 404,
                 "TOKEN_NOT_FOUND")


def test_token_rate_limit_answers_429_with_retry_after(srv, admin):
    created = admin.create_token(unique("slow"), ["cameras:read"], rate_limit=5)
    assert created["rate_limit"] == 5
    for i in range(5):
        r = requests.get(srv.api("/cameras"), headers=bearer(created["token"]), timeout=10)
        assert r.status_code == 200, (i, r.text)
    r = requests.get(srv.api("/cameras"), headers=bearer(created["token"]), timeout=10)
    assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
    assert int(r.headers["Retry-After"]) >= 1, r.headers
    # Other credentials are not affected.
    ok(admin.get("/cameras"))


def test_expired_token_is_refused(srv, admin):
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
    created = admin.create_token(unique("brief"), ["cameras:read"], expires_at=rfc3339(expires))
    assert abs((parse_time(created["expires_at"]) - expires).total_seconds()) < 1.5, created
    ok(requests.get(srv.api("/cameras"), headers=bearer(created["token"]), timeout=10))

    def refused():
        r = requests.get(srv.api("/cameras"), headers=bearer(created["token"]), timeout=10)
        return [r] if r.status_code != 200 else None  # a 4xx Response is falsy itself

    [r] = wait_until(refused, timeout=20, interval=0.25, what="the token to expire")
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    assert datetime.datetime.now(datetime.timezone.utc) >= expires - datetime.timedelta(seconds=1)


@pytest.mark.parametrize("body,field", [
    ({"permissions": ["cameras:read"]}, "name"),
    ({"name": "", "permissions": ["cameras:read"]}, "name"),
    ({"name": "t"}, "permissions"),
    ({"name": "t", "permissions": ["cameras:fly"]}, "permissions"),
    ({"name": "t", "permissions": "cameras:read"}, "permissions"),
    ({"name": "t", "permissions": ["cameras:read"], "rate_limit": 0}, "rate_limit"),
    ({"name": "t", "permissions": ["cameras:read"], "rate_limit": "many"}, "rate_limit"),
    ({"name": "t", "permissions": ["cameras:read"], "expires_at": "tomorrow"}, "expires_at"),
    ({"name": "t", "permissions": ["cameras:read"], "camera_scope": "demo"}, "camera_scope"),
], ids=["no-name", "empty-name", "no-permissions", "unknown-permission", "permissions-string", "rate-limit-0",
        "rate-limit-string", "expires-at-text", "scope-string"])
def test_token_validation_names_the_field(admin, body, field):
    assert_error(admin.post("/tokens", body), 400, "VALIDATION_FAILED", field=field)


# ---------------------------------------------------------------------------------------------
# RTSP with the store's users and API tokens


def with_credentials(url, user, password):
    quoted = urllib.parse.quote(password, safe="")
    return url.replace("rtsp://", f"rtsp://{urllib.parse.quote(user, safe='')}:{quoted}@")


def test_rtsp_with_store_users_and_api_tokens(make_server):
    server = make_server({"auth": {"anonymous_media": "none"}}).wait_http()
    admin = Api.as_user(server)
    admin.create_user("camviewer", "viewer-pass-1", "viewer")
    url = server.url("demo")

    out = ffprobe_run(url)
    assert out.returncode != 0 and "401" in out.stderr, out.stderr
    out = ffprobe_run(with_credentials(url, "camviewer", "viewer-pass-1"))
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout)["streams"][0]["codec_name"] == "h264"
    out = ffprobe_run(with_credentials(url, "camviewer", "wrong-pass-1"))
    assert out.returncode != 0 and "401" in out.stderr, out.stderr

    # An API token as the password. ffmpeg answers the Digest challenge, for which the server must
    # know the secret of the user named: the token's id. Basic takes any username.
    created = admin.create_token("rtsp-reader", ["media:read"])
    out = ffprobe_run(with_credentials(url, created["id"], created["token"]))
    assert out.returncode == 0, out.stderr[-3000:]
    basic = base64.b64encode(f"anyone:{created['token']}".encode()).decode()
    wrong = base64.b64encode(f"anyone:{created['token']}x".encode()).decode()
    with RawRtsp(server.rtsp_port) as c:
        assert c.request("DESCRIBE", url, {"Authorization": f"Basic {wrong}"}).status == 401
        r = c.request("DESCRIBE", url, {"Authorization": f"Basic {basic}"})
        assert r.status == 200 and b"m=video" in r.body, r
    # A revoked token stops working for media too.
    assert admin.delete(f"/tokens/{created['id']}").status_code == 204
    out = ffprobe_run(with_credentials(url, created["id"], created["token"]))
    assert out.returncode != 0 and "401" in out.stderr, out.stderr
