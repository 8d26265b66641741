"""ICE-TCP (RFC 6544 passive, webrtc.ice_tcp) at the socket level: the answer offers a passive TCP
candidate on the UDP port's number below the UDP one; a framed STUN check that names a session
binds a connection and is answered on it (RFC 4571 framing); garbage, an unknown ufrag, an
oversized or empty frame and silence close only the connection concerned, while an aiortc viewer
(over UDP) keeps playing. Media over TCP with a real browser: tests/browser/icetcp.test.mjs."""
import asyncio
import socket
import struct
import threading
import time

import requests
from aioice import stun
from aiortc import RTCPeerConnection

from conftest import Server, wait_until
from lib.api_client import admin_token, bearer
from lib.whep_client import offer_sdp, play


def tcp_candidates(sdp):
    return [l for l in sdp.splitlines() if l.startswith("a=candidate:") and " tcp " in l]


def framed(packet):
    return struct.pack(">H", len(packet)) + packet


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.settimeout(15)  # a hang fails the test; the server's own timeout is 5 s
    return s


def closed_by_server(s):
    """True once the server has closed the connection (EOF or reset)."""
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def recv_frame(s):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = s.recv(n - len(data))
            assert chunk, "the server closed the connection"
            data += chunk
        return data
    (length,) = struct.unpack(">H", exactly(2))
    return exactly(length)


def binding_request(username, password, use_candidate=False):
    m = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST)
    m.attributes["USERNAME"] = username
    m.attributes["PRIORITY"] = 1845501695
    m.attributes["ICE-CONTROLLING"] = 0x1122334455667788
    if use_candidate:
        m.attributes["USE-CANDIDATE"] = None
    m.add_message_integrity(password.encode())  # and FINGERPRINT
    return bytes(m)


def refused(srv):
    """ocellus_webrtc_tcp_refused_total: connections closed before they bound to a session."""
    text = requests.get(srv.http("/metrics"), headers=bearer(admin_token(srv)), timeout=10).text
    return int(next(l.split()[1] for l in text.splitlines() if l.startswith("ocellus_webrtc_tcp_refused_total ")))


def attr(sdp, name):
    return next(l.split(":", 1)[1] for l in sdp.splitlines() if l.startswith(f"a={name}:"))


def whep_session(srv):
    """POSTs an aiortc offer (never applied) and returns (answer, our ufrag): a session waiting for
    checks that this test sends by hand."""
    async def run():
        pc = RTCPeerConnection()
        pc.addTransceiver("video", direction="recvonly")
        try:
            return await offer_sdp(pc)
        finally:
            await pc.close()
    offer = asyncio.run(run())
    r = requests.post(srv.http("/demo/whep"), data=offer, headers={"Content-Type": "application/sdp"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.text, attr(offer, "ice-ufrag")


class Viewer:
    """An aiortc WHEP viewer over UDP, playing in a thread for the length of a `with` block."""

    def __init__(self, srv, frames):
        self.url, self.frames, self.result, self.error = srv.http("/demo/whep"), frames, None, None

    def __enter__(self):
        def run():
            try:
                self.result, _ = asyncio.run(play(self.url, frames=self.frames, timeout=60))
            except Exception as e:  # reported by __exit__
                self.error = e
        self.thread = threading.Thread(target=run)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join(90)
        assert self.error is None, self.error
        assert len(self.result) == self.frames


def test_the_answer_offers_a_passive_tcp_candidate_below_udp(make_server):
    srv = make_server().wait_http()
    answer, _ = whep_session(srv)
    port = int(srv.config["webrtc"]["udp_address"].rsplit(":", 1)[1])
    [tcp] = tcp_candidates(answer)
    udp = next(l for l in answer.splitlines() if l.startswith("a=candidate:") and " udp " in l)
    assert f" 127.0.0.1 {port} typ host tcptype passive" in tcp, tcp
    assert int(tcp.split()[3]) < int(udp.split()[3])

    off = make_server({"webrtc": {"ice_tcp": False}}).wait_http()
    answer, _ = whep_session(off)
    assert tcp_candidates(answer) == []
    port = int(off.config["webrtc"]["udp_address"].rsplit(":", 1)[1])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        assert False, "a TCP listener with ice_tcp off"
    except ConnectionRefusedError:
        pass


def test_bad_connections_are_closed_and_other_sessions_keep_playing(make_server):
    srv = make_server().wait_http()
    port = int(srv.config["webrtc"]["udp_address"].rsplit(":", 1)[1])
    answer, peer_ufrag = whep_session(srv)
    ufrag, pwd = attr(answer, "ice-ufrag"), attr(answer, "ice-pwd")
    with Viewer(srv, frames=240):  # 8 s of the demo over UDP while the bad connections come and go
        bound = connect(port)
        bound.sendall(framed(binding_request(f"{ufrag}:{peer_ufrag}", pwd)))
        response = stun.parse_message(recv_frame(bound), integrity_key=pwd.encode())
        assert response.message_class == stun.Class.RESPONSE
        assert response.attributes["XOR-MAPPED-ADDRESS"] == bound.getsockname()

        garbage = connect(port)
        garbage.sendall(framed(b"\x42" * 60))
        unknown = connect(port)
        unknown.sendall(framed(binding_request(f"nosuchufrag:{peer_ufrag}", pwd)))
        oversized = connect(port)
        oversized.sendall(struct.pack(">H", 60000) + b"\x00" * 100)
        empty = connect(port)
        empty.sendall(b"\x00\x00")
        wrong_password = connect(port)
        wrong_password.sendall(framed(binding_request(f"{ufrag}:{peer_ufrag}", "not-the-password-at-all")))
        silent = connect(port)
        started = time.monotonic()
        for s in (garbage, unknown, oversized, empty, wrong_password, silent):
            assert closed_by_server(s)
        assert time.monotonic() - started < 12  # the silent one: within a few seconds

        # Garbage on the bound connection closes it too; the session it named is not the viewer's.
        bound.sendall(framed(b"\x42" * 60))
        assert closed_by_server(bound)
        # The wrong password's connection had bound (it named the session): the session closed it.
        assert refused(srv) == 5
    # And a new viewer still plays.
    frames, _ = asyncio.run(play(srv.http("/demo/whep"), frames=10))
    assert len(frames) == 10


def test_unbound_connections_are_capped(make_server):
    srv = make_server().wait_http()
    port = int(srv.config["webrtc"]["udp_address"].rsplit(":", 1)[1])
    waiting = [connect(port) for _ in range(64)]  # WebRtcTcpListener::kMaxUnbound
    extra = connect(port)
    extra.settimeout(3)  # closed at once, long before the 5 s check timeout
    assert closed_by_server(extra)
    for s in waiting:
        s.close()
    # Slots free again once those are gone.
    answer, peer_ufrag = whep_session(srv)
    wait_until(lambda: refused(srv) == 65, what="the waiting connections to be counted as closed")
    s = connect(port)
    s.sendall(framed(binding_request(f"{attr(answer, 'ice-ufrag')}:{peer_ufrag}", attr(answer, "ice-pwd"))))
    assert stun.parse_message(recv_frame(s)).message_class == stun.Class.RESPONSE


def test_a_taken_tcp_port_stops_the_start_and_names_the_switch(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", port))  # the UDP port of that number is free: only TCP clashes
        s = Server(tmp_path, {"webrtc": {"udp_address": f"127.0.0.1:{port}"}}).launch()  # not make_server: it fails
        wait_until(lambda: s.proc.poll() is not None, what="ocellus to give up")
        s.log.close()
        assert s.proc.returncode != 0
        assert "webrtc.ice_tcp: false" in s.log_text(), s.log_text()[-2000:]
