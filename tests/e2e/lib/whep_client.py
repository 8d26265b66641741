"""A WHEP viewer and a WHIP publisher made with python3-aiortc (an independent WebRTC stack):
posts an offer, applies the answer, decodes what arrives or sends a test picture.

    frames = asyncio.run(play(server.http("/demo/whep"), frames=30))
    asyncio.run(publish(server.http("/mine/whip"), until=some_future))

aiortc never offers 127.0.0.1 as a candidate (LAB.md); the server side is what matters here
(the server's candidates are all 127.0.0.1 in tests), but aiortc must still gather one that can
reach it, so its host addresses are pinned to loopback.
"""
import asyncio

import aioice.ice
import requests
from aiortc import RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from av import VideoFrame

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]


class WhepError(Exception):
    def __init__(self, response):
        super().__init__(f"{response.status_code} {response.text[:500]}")
        self.response = response


async def offer_sdp(pc):
    await pc.setLocalDescription(await pc.createOffer())
    while pc.iceGatheringState != "complete":
        await asyncio.sleep(0.01)
    return pc.localDescription.sdp


async def negotiate(pc, url, headers=None):
    """POSTs pc's offer to a WHEP/WHIP URL and applies the answer; the response (201) or WhepError."""
    sdp = await offer_sdp(pc)
    r = await asyncio.to_thread(requests.post, url, data=sdp,
                                headers={"Content-Type": "application/sdp", **(headers or {})}, timeout=10)
    if r.status_code != 201:
        raise WhepError(r)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=r.text, type="answer"))
    return r


async def wait_published(server, path, timeout=20.0):
    """Waits until a WHIP publisher of `path` is connected (the server logs it once ICE and DTLS
    are done; the path itself is taken as soon as the offer is answered)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while f"publishing '{path}' from" not in server.log_text():
        assert asyncio.get_running_loop().time() < deadline, f"{path} was not published"
        await asyncio.sleep(0.05)


async def play(url, frames=30, headers=None, timeout=20.0, audio=False):
    """Receives `frames` decoded video frames; returns (frames as av.VideoFrame, the POST response)."""
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    if audio:
        pc.addTransceiver("audio", direction="recvonly")
    got = []
    done = asyncio.get_running_loop().create_future()

    @pc.on("track")
    def on_track(track):
        if track.kind != "video":
            return

        async def consume():
            try:
                while len(got) < frames:
                    got.append(await track.recv())
                if not done.done():
                    done.set_result(True)
            except Exception as e:  # the track ended early
                if not done.done():
                    done.set_exception(e)

        asyncio.ensure_future(consume())

    try:
        r = await negotiate(pc, url, headers)
        await asyncio.wait_for(done, timeout)
        return got, r
    finally:
        await pc.close()


class ColorBars(VideoStreamTrack):
    """A moving test picture for publishing: 320x240, 30 fps."""

    def __init__(self, width=320, height=240):
        super().__init__()
        self.width, self.height, self.count = width, height, 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=self.width, height=self.height, format="yuv420p")
        for plane, value in zip(frame.planes, ((self.count * 4) % 256, 128, 128)):
            plane.update(bytes([value]) * plane.buffer_size)
        self.count += 1
        frame.pts, frame.time_base = pts, time_base
        return frame


async def publish(url, until, timeout=30.0, headers=None):
    """Publishes ColorBars over WHIP until the awaitable `until` is done (`timeout` only guards
    against hangs); returns the POST response. Raises WhepError when it is not 201."""
    pc = RTCPeerConnection()
    pc.addTransceiver(ColorBars(), direction="sendonly")
    try:
        r = await negotiate(pc, url, headers)
        await asyncio.wait_for(until, timeout)
        return r
    finally:
        await pc.close()
