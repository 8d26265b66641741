"""Malformed and hostile RTSP input on raw sockets. Every test runs an ffmpeg reader of the demo
camera across the abuse: it must keep decoding, and the server must stay up and answer OPTIONS."""

import random
import socket

import pytest

from conftest import wait_until
from lib.rtsp_raw import RawRtsp, options_ok


@pytest.fixture
def victim(make_server, procs):
    """A server with a reader that is decoding the demo; check_survived() asserts both are fine."""
    server = make_server({"demo": {"width": 320, "height": 240, "bitrate_kbps": 300}})
    reader = procs.reader(server.url("demo"), "tcp")
    wait_until(lambda: reader.frames() >= 15 or not reader.running(), timeout=30, what="the reader to start")
    assert reader.running(), reader.text()

    class Victim:
        port = server.rtsp_port
        url = server.url("demo")

        def __init__(self):
            self.server, self.reader = server, reader
            self.frames_before = reader.frames()

        def log(self):
            return server.log_text()

        def check_survived(self):
            assert server.proc.poll() is None, f"ocellus died:\n{server.log_text()[-3000:]}"
            assert options_ok(self.port)
            # One more second of video (30 frames) after the abuse, decoded without a break.
            target = reader.frames() + 30
            wait_until(lambda: reader.frames() >= target or not reader.running(), timeout=30,
                       what="the reader to keep decoding")
            assert reader.running(), reader.text()[-3000:]
            assert reader.frames() >= target

    return Victim()


def answer_or_close(conn, data, statuses):
    """Sends data; the server must answer with one of statuses or close, and then close."""
    conn.send(data)
    r = conn.read_response()
    if r is not None:
        assert r.status in statuses, r
    assert conn.closed_by_peer(), "the connection stayed open after a malformed message"
    return r


@pytest.mark.parametrize("garbage", [
    b"\x00\x01\x02\xff\xfe garbage\r\n\r\n",
    bytes(random.Random(7).randrange(256) for _ in range(4096)),
    b"HELLO\r\n\r\n",
    b"OPTIONS\r\n\r\n",
    b"OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nno colon here\r\n\r\n",
    b"OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nContent-Length: -5\r\n\r\n",
    b"OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nX: a\rb\r\n\r\n",
], ids=["binary", "random-4k", "word", "no-uri-no-version", "bad-header-line", "bad-length", "bare-cr"])
def test_garbage_gets_400_or_close(victim, garbage):
    with RawRtsp(victim.port) as c:
        answer_or_close(c, garbage, {400})
    victim.check_survived()


def test_response_instead_of_request_closes(victim):
    with RawRtsp(victim.port) as c:
        c.send(b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n")
        assert c.read_response() is None
        assert c.eof
    victim.check_survived()


@pytest.mark.parametrize("head", [
    b"OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
    b"OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n" + b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 300) for i in range(66)),
], ids=["one-20k-header", "66-headers"])
def test_oversized_header_block_gets_431_or_close(victim, head):
    with RawRtsp(victim.port) as c:
        r = answer_or_close(c, head, {431})
    if r is not None:
        assert r.status == 431
    victim.check_survived()


def test_oversized_header_block_without_end_is_cut_off(victim):
    """A head that never ends must not be buffered without bound."""
    with RawRtsp(victim.port) as c:
        try:
            c.send(b"OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\nX-Big: " + b"a" * 200_000)
        except (BrokenPipeError, ConnectionResetError):
            pass  # already cut off
        r = c.read_response()
        assert r is None or r.status == 431, r
        assert c.closed_by_peer()
    victim.check_survived()


def test_long_start_line_gets_414_or_close(victim):
    with RawRtsp(victim.port) as c:
        answer_or_close(c, b"OPTIONS rtsp://127.0.0.1/" + b"x" * 5000 + b" RTSP/1.0\r\nCSeq: 1\r\n\r\n", {414})
    victim.check_survived()


def test_body_too_large_gets_413_or_close(victim):
    with RawRtsp(victim.port) as c:
        answer_or_close(c, b"ANNOUNCE rtsp://127.0.0.1/x RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\n"
                           b"Content-Length: 10000000\r\n\r\n", {413})
    victim.check_survived()


def test_request_without_cseq_gets_400(victim):
    with RawRtsp(victim.port) as c:
        r = c.request("OPTIONS", f"rtsp://127.0.0.1:{victim.port}/", cseq=False)
        assert r is not None and r.status == 400, r
        # Only that request was refused: the connection still works.
        r = c.request("OPTIONS", f"rtsp://127.0.0.1:{victim.port}/")
        assert r is not None and r.status == 200 and r.header("CSeq") == "1", r
        assert "OPTIONS" in r.header("Public")
    victim.check_survived()


@pytest.mark.parametrize("version", [b"RTSP/2.0", b"RTSP/1.1"])
def test_wrong_rtsp_version_gets_505(victim, version):
    with RawRtsp(victim.port) as c:
        r = answer_or_close(c, b"OPTIONS rtsp://127.0.0.1/ " + version + b"\r\nCSeq: 1\r\n\r\n", {505})
        assert r is not None, "no 505 answer"
    victim.check_survived()


def test_http_request_on_the_rtsp_port(victim):
    with RawRtsp(victim.port) as c:
        r = answer_or_close(c, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", {400, 505})
        assert r is not None
    victim.check_survived()


def test_interleaved_frame_on_unknown_channel_closes_the_connection(victim):
    with RawRtsp(victim.port) as c:
        c.send(b"$\x05\x00\x04abcd")
        assert c.closed_by_peer()
    assert "interleaved data on channel 5, which no track uses" in victim.log()
    victim.check_survived()


def test_interleaved_frame_on_unknown_channel_ends_a_playing_session(victim):
    """A TCP player (channels 0-1) that sends on channel 9 is cut off; other readers are not."""
    with RawRtsp(victim.port) as c:
        assert c.request("DESCRIBE", victim.url).status == 200
        r = c.request("SETUP", victim.url + "/trackID=0", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        assert r.status == 200, r
        session = r.header("Session").split(";")[0]
        assert c.request("PLAY", victim.url, {"Session": session}).status == 200
        # RTCP on its own channel is fine, and keeps it alive...
        c.send(b"$\x01\x00\x08" + bytes([0x80, 201, 0, 1, 0, 0, 0, 1]))
        c.send(b"$\x09\x00\x04abcd")
        assert c.closed_by_peer()
    assert "interleaved data on channel 9" in victim.log()
    victim.check_survived()


def test_multicast_transport_gets_461(victim):
    with RawRtsp(victim.port) as c:
        assert c.request("DESCRIBE", victim.url).status == 200
        r = c.request("SETUP", victim.url + "/trackID=0",
                      {"Transport": "RTP/AVP;multicast;destination=224.2.0.1;port=5000-5001;ttl=1"})
        assert r is not None and r.status == 461, r
        # The connection stays usable: a unicast offer then works.
        r = c.request("SETUP", victim.url + "/trackID=0", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        assert r is not None and r.status == 200, r
    victim.check_survived()


@pytest.mark.parametrize("track", ["trackID=7", "trackID=x", "trackID=1"])
def test_setup_on_unknown_track_gets_404(victim, track):
    with RawRtsp(victim.port) as c:
        assert c.request("DESCRIBE", victim.url).status == 200
        r = c.request("SETUP", f"{victim.url}/{track}", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        assert r is not None and r.status == 404, r
    victim.check_survived()


def test_setup_on_unknown_path_gets_404(victim):
    with RawRtsp(victim.port) as c:
        r = c.request("SETUP", f"rtsp://127.0.0.1:{victim.port}/nothing/trackID=0",
                      {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        assert r is not None and r.status == 404, r
    victim.check_survived()


def test_play_before_setup_and_bad_session(victim):
    with RawRtsp(victim.port) as c:
        r = c.request("PLAY", victim.url, {"Session": "12345678"})
        assert r.status == 455, r
        r = c.request("SETUP", victim.url + "/trackID=0", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        assert r.status == 200, r
        r = c.request("PLAY", victim.url, {"Session": "not-my-session"})
        assert r.status == 454, r
    victim.check_survived()


def test_many_abandoned_connections(victim):
    """Two hundred clients that send half a request or nothing and vanish."""
    socks = []
    for i in range(200):
        s = socket.create_connection(("127.0.0.1", victim.port), timeout=10)
        if i % 2:
            s.sendall(b"DESCRIBE rtsp://127.0.0.1/demo RTSP/1.0\r\nCSeq: 1\r\n")
        socks.append(s)
    assert options_ok(victim.port)
    for s in socks:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
        s.close()
    victim.check_survived()


def test_client_that_stops_reading_does_not_stall_others(victim):
    """A TCP player that never reads its socket: the server must drop its data, not block the
    stream for everyone else."""
    with RawRtsp(victim.port) as c:
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        assert c.request("DESCRIBE", victim.url).status == 200
        r = c.request("SETUP", victim.url + "/trackID=0", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        session = r.header("Session").split(";")[0]
        assert c.request("PLAY", victim.url, {"Session": session}).status == 200
        # Do not read for three seconds of video while the other reader goes on.
        target = victim.reader.frames() + 90
        wait_until(lambda: victim.reader.frames() >= target, timeout=30, what="the other reader to go on")
    victim.check_survived()


def test_pipelined_requests_are_answered_in_order(victim):
    """Several requests in one write, one of them (DESCRIBE) answered asynchronously."""
    with RawRtsp(victim.port) as c:
        url = victim.url
        c.send((f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n"
                f"OPTIONS {url} RTSP/1.0\r\nCSeq: 2\r\n\r\n"
                f"DESCRIBE rtsp://127.0.0.1:{victim.port}/nothing RTSP/1.0\r\nCSeq: 3\r\n\r\n"
                f"GET_PARAMETER {url} RTSP/1.0\r\nCSeq: 4\r\n\r\n").encode())
        answers = [c.read_response() for _ in range(4)]
        assert [(a.header("CSeq"), a.status) for a in answers] == [("1", 200), ("2", 200), ("3", 404), ("4", 200)]
        assert b"m=video" in answers[0].body
    victim.check_survived()


def test_request_sent_one_byte_at_a_time(victim):
    with RawRtsp(victim.port) as c:
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for b in f"DESCRIBE {victim.url} RTSP/1.0\r\nCSeq: 9\r\nAccept: application/sdp\r\n\r\n".encode():
            c.send(bytes([b]))
        r = c.read_response()
        assert r.status == 200 and r.header("CSeq") == "9" and b"m=video" in r.body, r
    victim.check_survived()


@pytest.mark.parametrize("headers,body,status", [
    ({}, b"v=0\r\n", 415),  # no Content-Type
    ({"Content-Type": "application/sdp"}, b"this is not sdp", 400),
    ({"Content-Type": "application/sdp"},
     b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\n", 415),
], ids=["no-content-type", "not-sdp", "unsupported-codec"])
def test_bad_announce_is_refused(victim, headers, body, status):
    with RawRtsp(victim.port) as c:
        r = c.request("ANNOUNCE", f"rtsp://127.0.0.1:{victim.port}/pub", headers, body)
        assert r is not None and r.status == status, r
        r = c.request("RECORD", f"rtsp://127.0.0.1:{victim.port}/pub")
        assert r is not None and r.status == 455, r
    assert "publishing 'pub'" not in victim.log()
    victim.check_survived()


def test_announce_then_vanish_before_record(victim):
    """A publisher that announces and sets up but never records, then disconnects, leaves the
    path free for the next one."""
    sdp = (b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
           b"a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:trackID=0\r\n")
    url = f"rtsp://127.0.0.1:{victim.port}/half"
    for _ in range(2):
        with RawRtsp(victim.port) as c:
            r = c.request("ANNOUNCE", url, {"Content-Type": "application/sdp"}, sdp)
            assert r.status == 200, r
            r = c.request("SETUP", url + "/trackID=0", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"})
            assert r.status == 200, r
    victim.check_survived()
