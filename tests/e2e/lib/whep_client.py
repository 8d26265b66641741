"""A WHEP viewer made with python3-aiortc (an independent WebRTC stack): posts an offer,
applies the answer and decodes what arrives.

    frames = asyncio.run(play(server.http("/demo/whep"), frames=30))

aiortc never offers 127.0.0.1 as a candidate (LAB.md); the server side is what matters here
(the server's candidates are all 127.0.0.1 in tests), but aiortc must still gather one that can
reach it, so its host addresses are pinned to loopback.
"""
import asyncio

import aioice.ice
import requests
from aiortc import RTCPeerConnection, RTCSessionDescription

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
        sdp = await offer_sdp(pc)
        r = await asyncio.to_thread(requests.post, url, data=sdp,
                                    headers={"Content-Type": "application/sdp", **(headers or {})}, timeout=10)
        if r.status_code != 201:
            raise WhepError(r)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=r.text, type="answer"))
        await asyncio.wait_for(done, timeout)
        return got, r
    finally:
        await pc.close()
