"""Clients of the control plane for end-to-end tests: REST (/api/v1, through requests) and
JSON-RPC 2.0 over the WebSocket at /ws (through websockets).

Run with Debian's interpreter (/usr/bin/python3): python3-requests and python3-websockets are
not visible to other pythons. websockets here is 10.x, which has only the asyncio API, so
RpcClient runs its connection on an event loop in a thread of its own and offers blocking calls.

    token = login(server)["access_token"]
    r = requests.get(server.api("/cameras"), headers=bearer(token))
    assert_error(requests.get(server.api("/cameras")), 401, "AUTH_TOKEN_MISSING")

    with RpcClient(server.ws_url) as rpc:
        rpc.result("authenticate", {"auth_token": token})
        rpc.result("ping")                       # "pong"
        rpc.error("get_camera_status", {"device": "nope"})["code"]   # -32004
"""

import asyncio
import datetime
import http.client
import itertools
import json
import queue
import threading
import time

import requests
import websockets

TIMEOUT = 10  # seconds for one request or call; only guards against hangs


# ---------------------------------------------------------------------------------------------
# REST


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def api_key(token):
    return {"X-API-Key": token}


def login_response(server, username="admin", password=None, **extra):
    body = {"username": username, "password": server.admin_password if password is None else password, **extra}
    return requests.post(server.api("/auth/login"), json=body, timeout=TIMEOUT)


def login(server, username="admin", password=None, **extra):
    """The 200 body of POST /auth/login (admin with the server's admin password by default)."""
    r = login_response(server, username, password, **extra)
    assert r.status_code == 200, f"login of {username!r} failed: {r.status_code} {r.text}"
    return r.json()


def admin_token(server):
    return login(server)["access_token"]


def parse_time(text):
    """An RFC 3339 time (with Z or an offset) as an aware datetime; fails on anything else."""
    assert isinstance(text, str) and "T" in text, text
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def rfc3339(when):
    """An aware datetime as RFC 3339 UTC, whole seconds."""
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(ms):
    """Milliseconds since the epoch as RFC 3339 UTC with milliseconds (the API's from/to)."""
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def assert_error(r, status, code=None, field=None):
    """Checks a non-2xx REST answer: status, the error body of API-CONTRACT §2, X-Request-Id equal
    to error.requestId, and optionally error.code (a string or a tuple of accepted codes) and
    error.details.field. Returns error."""
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:2000]}"
    try:
        body = r.json()
    except ValueError:
        raise AssertionError(f"error answer without a JSON body: {r.status_code} {r.text[:2000]!r}")
    assert body.get("success") is False, body
    error = body.get("error")
    assert isinstance(error, dict), body
    for key in ("code", "message", "timestamp", "requestId"):
        assert key in error, (key, body)
    assert isinstance(error["message"], str) and error["message"], body
    assert error["requestId"], body
    assert r.headers.get("X-Request-Id") == error["requestId"], (r.headers.get("X-Request-Id"), body)
    parse_time(error["timestamp"])
    if code is not None:
        accepted = (code,) if isinstance(code, str) else tuple(code)
        assert error["code"] in accepted, f"expected {code}, got {error['code']}: {body}"
    if field is not None:
        details = error.get("details") or {}
        assert isinstance(details, dict) and details.get("field") == field, \
            f"expected details.field {field!r}: {body}"
    return error


def ok(r, status=200):
    """The JSON body of a successful answer (fails with the server's error otherwise)."""
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:2000]}"
    return r.json() if r.content else None


class Api:
    """A REST client bound to one server and one credential (headers): api.get("/cameras")."""

    def __init__(self, server, headers=None):
        self.server = server
        self.session = requests.Session()
        self.headers = dict(headers or {})

    @classmethod
    def as_user(cls, server, username="admin", password=None):
        return cls(server, bearer(login(server, username, password)["access_token"]))

    @property
    def token(self):
        """The credential this client sends (Bearer or X-API-Key), for JSON-RPC's auth_token."""
        auth = self.headers.get("Authorization", "")
        return auth.split(" ", 1)[1] if auth.startswith("Bearer ") else self.headers.get("X-API-Key")

    def request(self, method, path, **kwargs):
        headers = dict(self.headers)
        headers.update(kwargs.pop("headers", None) or {})
        url = path if path.startswith("http") else self.server.api(path)
        return self.session.request(method, url, headers=headers, timeout=kwargs.pop("timeout", TIMEOUT),
                                    **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    # The calls most tests need, each checking its success status.
    def create_user(self, username, password, role):
        return ok(self.post("/users", {"username": username, "password": password, "role": role}), 201)

    def create_token(self, name, permissions, **fields):
        return ok(self.post("/tokens", {"name": name, "permissions": list(permissions), **fields}), 201)

    def create_camera(self, **fields):
        return ok(self.post("/cameras", fields), 201)

    def camera_status(self, camera_id):
        """stream_status of GET /cameras/{id}/status (None when the call fails)."""
        r = self.get(f"/cameras/{camera_id}/status")
        if r.status_code != 200:
            return None
        body = r.json()
        return body.get("stream_status", body.get("status"))


class RawResponse:
    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = headers
        self.content = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def raw_request(server, method, target, body=None, headers=None, source_ip=None, timeout=TIMEOUT):
    """One request sent as written (no dot-segment or percent normalization, unlike requests),
    optionally from another loopback address (127.0.0.2 …). The answer behaves like a requests
    Response for status_code, headers (case-insensitive), content, text and json(). A server
    that answers early and closes while the body is still being sent (413) is read all the same."""
    conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=timeout,
                                      source_address=(source_ip, 0) if source_ip else None)
    try:
        data = body
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        try:
            conn.request(method, target, body=data, headers=headers or {})
        except (BrokenPipeError, ConnectionResetError):
            pass
        resp = conn.getresponse()
        content = resp.read()
        return RawResponse(resp.status, requests.structures.CaseInsensitiveDict(resp.getheaders()), content)
    finally:
        conn.close()


def publish_testsrc(procs, server, path, name="publisher"):
    """ffmpeg encoding a live 320x240 test pattern and publishing it to server's path over
    RTSP/TCP (loopback needs no credentials); procs is the conftest fixture."""
    return procs.spawn(name, ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-re",
                              "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
                              "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15",
                              "-f", "rtsp", "-rtsp_transport", "tcp", server.url(path)])


# ---------------------------------------------------------------------------------------------
# JSON-RPC over WebSocket


class RpcClosed(Exception):
    """The server closed the connection; code and reason are the close frame's."""

    def __init__(self, code, reason):
        super().__init__(f"connection closed: {code} {reason}")
        self.code, self.reason = code, reason


class RpcClient:
    """One WebSocket connection to /ws. call() sends a request and returns the response with the
    same id; notifications that arrive meanwhile are kept in `notifications` (in order) and
    wait_notification() waits for one. Responses to other ids (batches, raw frames) are kept
    for recv_response()."""

    def __init__(self, url, token=None, max_size=16 * 1024 * 1024):
        self.url = url
        self._ids = itertools.count(1)
        self._incoming = queue.Queue()   # decoded JSON values and ("closed", code, reason)
        self._pending = []               # responses not yet claimed
        self.notifications = []
        self.closed = None               # (code, reason) once closed
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._ws = self._run(self._connect(url, max_size))
        self._reader = asyncio.run_coroutine_threadsafe(self._read(), self._loop)
        if token is not None:
            result = self.result("authenticate", {"auth_token": token})
            assert result.get("authenticated") is True, result

    @staticmethod
    async def _connect(url, max_size):
        # No compression: frame sizes on the wire are the sizes the server's limit sees.
        return await websockets.connect(url, max_size=max_size, open_timeout=TIMEOUT, ping_interval=None,
                                        close_timeout=2, compression=None)

    def _run(self, coro, timeout=TIMEOUT):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _read(self):
        try:
            async for message in self._ws:
                try:
                    self._incoming.put(json.loads(message))
                except ValueError:
                    self._incoming.put({"unparsable": message})
        except websockets.ConnectionClosed:
            pass
        self._incoming.put(("closed", self._ws.close_code, self._ws.close_reason))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._loop.is_closed():
            return
        try:
            self._run(self._ws.close(), timeout=5)
        except Exception:
            pass
        try:
            self._reader.result(5)
        except Exception:
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    # Sending
    def send_text(self, text):
        """Sends one text frame as is (malformed JSON, batches, oversized frames...). A connection
        the server closed meanwhile is not an error here: the next read raises RpcClosed."""
        try:
            self._run(self._ws.send(text))
        except websockets.ConnectionClosed:
            pass

    def send_json(self, value):
        self.send_text(json.dumps(value))

    # Receiving
    def _next(self, deadline):
        """The next incoming message; notifications are filed; RpcClosed when the server closed."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from the server in time")
            try:
                item = self._incoming.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no message from the server in time")
            if isinstance(item, tuple) and item and item[0] == "closed":
                self.closed = (item[1], item[2])
                self._incoming.put(item)  # every later read sees the close too
                raise RpcClosed(item[1], item[2])
            if isinstance(item, dict) and "method" in item and "id" not in item:
                self.notifications.append(item)
                continue
            return item

    def recv_response(self, match=lambda message: True, timeout=TIMEOUT):
        """The first response (an object or a batch array) for which match() is true."""
        for i, message in enumerate(self._pending):
            if match(message):
                return self._pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if match(message):
                return message
            self._pending.append(message)

    def wait_closed(self, timeout=TIMEOUT):
        """(code, reason) of the server's close; fails if messages other than notifications come."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                message = self._next(deadline)
                self._pending.append(message)
        except RpcClosed as closed:
            return closed.code, closed.reason

    def call(self, method, params=None, timeout=TIMEOUT):
        """Sends one request and returns the whole response object (result or error)."""
        request_id = next(self._ids)
        request = {"jsonrpc": "2.0", "method": method, "id": request_id}
        if params is not None:
            request["params"] = params
        self.send_json(request)
        response = self.recv_response(lambda m: isinstance(m, dict) and m.get("id") == request_id, timeout)
        assert response.get("jsonrpc") == "2.0", response
        assert ("result" in response) != ("error" in response), response
        return response

    def result(self, method, params=None, timeout=TIMEOUT):
        response = self.call(method, params, timeout)
        assert "error" not in response, f"{method} failed: {response}"
        return response["result"]

    def error(self, method, params=None, timeout=TIMEOUT):
        """The error object of a call that must fail (code, message, data?)."""
        response = self.call(method, params, timeout)
        assert "error" in response, f"{method} succeeded: {response}"
        error = response["error"]
        assert isinstance(error.get("code"), int) and isinstance(error.get("message"), str), response
        return error

    def notify(self, method, params=None):
        """A JSON-RPC notification (no id): the server must not answer it."""
        request = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            request["params"] = params
        self.send_json(request)

    def wait_notification(self, predicate, timeout=20):
        """The first notification (whole object: method, params) satisfying predicate, including
        those received already; waits for it."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for n in self.notifications[seen:]:
                if predicate(n):
                    return n
            seen = len(self.notifications)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching notification; got {self.notifications}")
            try:
                item = self._incoming.get(timeout=min(left, 0.2))
            except queue.Empty:
                continue
            if isinstance(item, tuple) and item and item[0] == "closed":
                self._incoming.put(item)
                raise RpcClosed(item[1], item[2])
            if isinstance(item, dict) and "method" in item and "id" not in item:
                self.notifications.append(item)
            else:
                self._pending.append(item)


def camera_status_update(device, status):
    """A wait_notification predicate: camera_status_update for device with status."""
    def match(n):
        p = n.get("params") or {}
        return n.get("method") == "camera_status_update" and p.get("device") == device and p.get("status") == status
    return match
