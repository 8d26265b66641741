"""WHIP publishing with a real, independent WebRTC client (python3-aiortc): what it publishes
becomes a stream that ffprobe reads back over RTSP and another client plays over WHEP; a second
publisher of the same path and bad offers get the contract's error body; a publisher that never
connects frees its path."""
import asyncio
import json
import subprocess

import pytest
import requests
from aiortc import RTCPeerConnection

from conftest import wait_until
from lib.api_client import assert_error
from lib.whep_client import ColorBars, WhepError, offer_sdp, play, publish, wait_published


@pytest.fixture(scope="module")
def srv(make_module_server):
    return make_module_server({"demo": {"enabled": False}}).wait_http()


def ffprobe_stream(url):
    out = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_streams", "-of", "json", url],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["streams"]


def test_aiortc_publishes_and_ffprobe_reads_it_over_rtsp(srv):
    async def run():
        probe = asyncio.get_running_loop().create_future()

        async def probe_when_ready():
            await wait_published(srv, "whip-test")
            streams = await asyncio.to_thread(ffprobe_stream, srv.url("whip-test"))
            probe.set_result(streams)

        task = asyncio.ensure_future(probe_when_ready())
        r = await publish(srv.http("/whip-test/whip"), until=asyncio.shield(probe))
        await task
        return r, probe.result()

    r, streams = asyncio.run(run())
    assert r.headers["Location"].startswith("/webrtc/sessions/")
    assert "a=recvonly" in r.text and "a=ice-lite" in r.text
    video = [s for s in streams if s["codec_type"] == "video"]
    assert video and video[0]["codec_name"] == "h264", streams
    assert (video[0]["width"], video[0]["height"]) == (320, 240), video[0]


def test_a_whip_stream_plays_over_whep(srv):
    async def run():
        played = asyncio.get_running_loop().create_future()

        async def viewer():
            await wait_published(srv, "relay")
            frames, _ = await play(srv.http("/relay/whep"), frames=20)
            played.set_result(frames)

        task = asyncio.ensure_future(viewer())
        await publish(srv.http("/relay/whip"), until=asyncio.shield(played))
        await task
        return played.result()

    frames = asyncio.run(run())
    assert len(frames) == 20 and frames[-1].width == 320


def test_second_publisher_and_bad_offers_are_refused(srv):
    async def run():
        first_up = asyncio.get_running_loop().create_future()

        async def second():
            with pytest.raises(WhepError) as e:
                await publish(srv.http("/busy/whip"), until=asyncio.shield(first_up))  # refused at the POST
            first_up.set_result(e.value.response)

        async def first():
            r = await publish(srv.http("/busy/whip"), until=asyncio.shield(first_up))
            return r

        t = asyncio.ensure_future(first())
        await wait_published(srv, "busy")  # the second starts once the first is connected
        await second()
        await t
        return first_up.result()

    error = assert_error(asyncio.run(run()), 409, "VALIDATION_FAILED")
    assert error["details"]["reason"] == "path_in_use"
    post = lambda body, ctype="application/sdp": requests.post(srv.http("/x/whip"), data=body,
                                                               headers={"Content-Type": ctype}, timeout=10)
    assert_error(post("v=0\r\n", "text/plain"), 415, "VALIDATION_FAILED")
    assert_error(post("not sdp"), 400, "VALIDATION_FAILED")
    # The refused offers published nothing, and the first publisher's path is free once it left.
    assert requests.get(srv.http("/x/"), timeout=5).status_code == 404
    wait_until(lambda: requests.get(srv.http("/busy/"), timeout=5).status_code == 404, what="/busy unpublished")


def test_a_publisher_gone_mid_handshake_frees_its_path(make_server):
    """The offer takes the path; a client that never connects (it left, or cannot reach the
    server) gives it back after webrtc.handshake_timeout_seconds, not ICE consent's 30 s."""
    s = make_server({"demo": {"enabled": False}, "webrtc": {"handshake_timeout_seconds": 1}}).wait_http()

    async def offer_and_leave():
        pc = RTCPeerConnection()
        pc.addTransceiver(ColorBars(), direction="sendonly")
        try:
            return await asyncio.to_thread(requests.post, s.http("/gone/whip"), data=await offer_sdp(pc),
                                           headers={"Content-Type": "application/sdp"}, timeout=10)
        finally:
            await pc.close()

    assert asyncio.run(offer_and_leave()).status_code == 201
    wait_until(lambda: requests.get(s.http("/gone/"), timeout=5).status_code == 404, what="/gone unpublished")
    assert "closed: ICE nomination not done within 1 s" in s.log_text()
