"""The DTLS association of a WHEP session after the handshake, with python3-aiortc (OpenSSL) as
the peer: the server frees OpenSSL's state once the peer has proved it finished (DtlsEndpoint),
yet a peer that lost the server's last flight still connects, and a close_notify sent after the
state was freed still ends the session (DtlsAlertCipher)."""
import asyncio

import aioice.ice
import pytest

from conftest import wait_until
from lib.whep_client import negotiate, play
from aiortc import RTCPeerConnection

FREED = "DTLS state freed"
CLOSED = "closed: the peer closed DTLS"


@pytest.fixture(scope="module")
def srv(make_module_server):
    return make_module_server().wait_http()


def test_a_lost_last_flight_is_answered_again(srv, monkeypatch):
    """The first datagram carrying the server's ChangeCipherSpec (its last flight: CCS +
    Finished) is lost: aiortc sends its own last flight again after its 1 s retransmission
    timer, and the server, still holding OpenSSL's state, answers it."""
    dropped = []
    original = aioice.ice.Connection.recv

    async def lossy_recv(self):
        while True:
            data = await original(self)
            if not dropped and data[0] == 20:  # a datagram that starts with the CCS record
                dropped.append(data)
                continue
            return data

    monkeypatch.setattr(aioice.ice.Connection, "recv", lossy_recv)
    frames, _ = asyncio.run(play(srv.http("/demo/whep"), frames=10))
    assert len(frames) == 10
    assert len(dropped) == 1


def test_close_notify_after_the_state_is_freed_ends_the_session(srv):
    before_freed, before_closed = srv.log_text().count(FREED), srv.log_text().count(CLOSED)

    async def run():
        pc = RTCPeerConnection()
        pc.addTransceiver("video", direction="recvonly")
        received = asyncio.get_running_loop().create_future()

        @pc.on("track")
        def on_track(track):
            async def first_frame():
                await track.recv()
                if not received.done():
                    received.set_result(True)
            asyncio.ensure_future(first_frame())

        try:
            await negotiate(pc, srv.http("/demo/whep"))
            await asyncio.wait_for(received, 20)
            # aiortc's first receiver report (0.5..1.5 s after media starts) frees the state.
            await asyncio.to_thread(wait_until, lambda: srv.log_text().count(FREED) > before_freed,
                                    what="the server to free the session's DTLS state")
        finally:
            await pc.close()  # sends close_notify

    asyncio.run(run())
    # Ended by the close_notify: ICE consent would take 30 s and DELETE was never sent.
    wait_until(lambda: srv.log_text().count(CLOSED) > before_closed, timeout=5,
               what="the session to end on the peer's close_notify")
