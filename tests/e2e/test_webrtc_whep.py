"""WHEP playback with a real, independent WebRTC client (python3-aiortc): the demo camera is
decoded over WebRTC, sessions end by DELETE, and bad offers get the contract's error body while
the server keeps serving."""
import asyncio
import re
import socket

import pytest
import requests

from lib.api_client import Api, assert_error, ok
from lib.whep_client import WhepError, offer_sdp, play
from aiortc import RTCPeerConnection


@pytest.fixture(scope="module")
def srv(make_module_server):
    return make_module_server().wait_http()


def test_aiortc_decodes_the_demo_over_whep(srv):
    frames, r = asyncio.run(play(srv.http("/demo/whep"), frames=45))
    assert len(frames) == 45
    assert (frames[-1].width, frames[-1].height) == (640, 360)
    assert r.headers["Content-Type"].startswith("application/sdp")
    assert r.headers["Location"].startswith("/webrtc/sessions/")
    # The session URL is the only credential PATCH and DELETE need: 128 random bits.
    assert re.fullmatch(r"/webrtc/sessions/[0-9a-f]{32}", r.headers["Location"])
    answer = r.text
    for line in ("a=ice-lite", "a=setup:passive", "a=rtcp-mux", "a=sendonly", "a=fingerprint:sha-256 ",
                 "a=candidate:", "typ host", "a=end-of-candidates"):
        assert line in answer, f"{line!r} missing from the answer:\n{answer}"


def test_delete_ends_the_session_and_patch_takes_trickle(srv):
    async def run():
        pc = RTCPeerConnection()
        pc.addTransceiver("video", direction="recvonly")
        try:
            sdp = await offer_sdp(pc)
            return await asyncio.to_thread(requests.post, srv.http("/demo/whep"), data=sdp,
                                           headers={"Content-Type": "application/sdp"}, timeout=10)
        finally:
            await pc.close()

    r = asyncio.run(run())
    assert r.status_code == 201, r.text
    location = srv.http(r.headers["Location"])
    ufrag = next(l.split(":", 1)[1] for l in r.text.splitlines() if l.startswith("a=ice-ufrag:"))
    frag = f"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{'x' * 22}\r\nm=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n" \
           "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n"
    p = requests.patch(location, data=frag, headers={"Content-Type": "application/trickle-ice-sdpfrag"}, timeout=10)
    assert p.status_code == 204, p.text
    wrong = requests.patch(location, data=frag, headers={"Content-Type": "text/plain"}, timeout=10)
    assert_error(wrong, 415, "VALIDATION_FAILED")
    assert requests.delete(location, timeout=10).status_code == 200
    # Ended, by this DELETE or (for a player stopping late) by the server: DELETE again is fine.
    assert requests.delete(location, timeout=10).status_code == 200
    assert_error(requests.delete(srv.http("/webrtc/sessions/" + "0" * 32), timeout=10), 404, "SESSION_NOT_FOUND")


def test_bad_offers_get_errors_and_the_server_keeps_playing(srv):
    post = lambda body, ctype="application/sdp", path="/demo/whep": requests.post(
        srv.http(path), data=body, headers={"Content-Type": ctype}, timeout=10)
    assert_error(post("v=0\r\n", ctype="text/plain"), 415, "VALIDATION_FAILED")
    assert_error(post(""), 400, "VALIDATION_FAILED")
    assert_error(post("this is not SDP"), 400, "VALIDATION_FAILED")
    assert_error(post("v=0\r\n" + "a=x\r\n" * 40000), 400, "VALIDATION_FAILED")  # over the 64 KiB limit
    assert_error(post("v=0\r\n", path="/nothing-here/whep"), 404, "STREAM_NOT_FOUND")
    # An offer with only a codec the demo does not have (VP8).
    vp8 = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
           "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n"
           "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\n"
           "a=fingerprint:sha-256 " + ":".join(["AB"] * 32) + "\r\na=rtpmap:96 VP8/90000\r\n")
    error = assert_error(post(vp8), 406, "VALIDATION_FAILED")
    assert error["details"]["reason"] == "no_common_codec"
    # Garbage on the WebRTC port from an unknown address is dropped.
    port = int(srv.config["webrtc"]["udp_address"].rsplit(":", 1)[1])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for payload in (b"\x00\x01garbage", b"\x16\xfe\xfd" + b"\x00" * 50, b"\x80" * 100, b""):
            s.sendto(payload, ("127.0.0.1", port))
    frames, _ = asyncio.run(play(srv.http("/demo/whep"), frames=10))
    assert len(frames) == 10


def test_whep_needs_credentials_off_loopback_policy(make_server):
    s = make_server({"auth": {"anonymous_media": "none"}}).wait_http()
    offer = "v=0\r\n"
    r = requests.post(s.http("/demo/whep"), data=offer, headers={"Content-Type": "application/sdp"}, timeout=10)
    assert_error(r, 401, "AUTH_TOKEN_MISSING")
    token = requests.post(s.api("/auth/login"), json={"username": "admin", "password": s.admin_password},
                          timeout=10).json()["access_token"]
    frames, _ = asyncio.run(play(s.http("/demo/whep"), frames=5, headers={"Authorization": f"Bearer {token}"}))
    assert len(frames) == 5
    with pytest.raises(WhepError) as e:
        asyncio.run(play(s.http("/demo/whep"), frames=1, headers={"Authorization": "Bearer nope"}))
    assert e.value.response.status_code == 401


def test_ice_servers_are_handed_out_in_link_headers(make_server):
    import base64
    import hashlib
    import hmac
    import re
    import time

    s = make_server({"webrtc": {"ice_servers": [{"urls": ["stun:stun.example.org:3478"]},
                                                {"urls": ["turn:turn.example.org:3478?transport=udp"],
                                                 "username": "fixed", "credential": "pw"},
                                                {"urls": ["turns:turn.example.org:5349"]}],
                                "turn_secret": "north", "turn_credential_ttl_seconds": 600}}).wait_http()
    frames, r = asyncio.run(play(s.http("/demo/whep"), frames=1))
    links = r.headers["Link"]
    assert '<stun:stun.example.org:3478>; rel="ice-server"' in links
    assert ('<turn:turn.example.org:3478?transport=udp>; rel="ice-server"; username="fixed"; credential="pw"; '
            'credential-type="password"') in links
    made = re.search(r'<turns:turn.example.org:5349>; rel="ice-server"; username="(\d+):ocellus"; '
                     r'credential="([^"]+)"', links)
    assert made, links
    expiry, password = int(made.group(1)), made.group(2)
    assert 500 < expiry - time.time() <= 600
    expected = base64.b64encode(hmac.new(b"north", f"{expiry}:ocellus".encode(), hashlib.sha1).digest()).decode()
    assert password == expected
    assert "Link" in r.headers["Access-Control-Expose-Headers"]


def udp_port_taken(address):
    host, port = address.rsplit(":", 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind((host, int(port)))
        except OSError:
            return True
    return False


def test_webrtc_disabled_binds_nothing_and_points_to_hls(srv, make_server):
    assert udp_port_taken(srv.config["webrtc"]["udp_address"])  # what "bound" looks like
    s = make_server({"webrtc": {"enabled": False}}).wait_http()
    assert not udp_port_taken(s.config["webrtc"]["udp_address"])
    assert "Demo camera (WHEP)" not in s.log_text()

    for path in ("/demo/whep", "/demo/whip"):
        r = requests.post(s.http(path), data="v=0\r\n", headers={"Content-Type": "application/sdp"}, timeout=10)
        error = assert_error(r, 404, "NOT_FOUND")
        assert error["details"]["setting"] == "webrtc.enabled" and "webrtc.enabled" in error["message"], error
    assert_error(requests.delete(s.http("/webrtc/sessions/x"), timeout=10), 404, "NOT_FOUND")
    assert_error(requests.get(s.http("/demo/"), timeout=10), 404, "NOT_FOUND")  # the player plays WebRTC only

    admin = Api.as_user(s)
    error = assert_error(admin.get("/cameras/demo/stream/webrtc"), 503, "STREAM_NODE_UNAVAILABLE")
    assert error["details"]["setting"] == "webrtc.enabled", error
    hls = ok(admin.get("/cameras/demo/stream/hls"))
    assert hls["available"] is True, hls
    playlist = requests.get(s.http("/demo/index.m3u8"), timeout=20)
    assert playlist.status_code == 200 and playlist.text.startswith("#EXTM3U"), playlist.text
