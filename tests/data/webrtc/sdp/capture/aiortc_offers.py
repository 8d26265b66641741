"""Captures WHEP- and WHIP-style offers from aiortc (tests/data/webrtc/sdp/README.md).

Usage: /usr/bin/python3 aiortc_offers.py <output dir>   (python3-aiortc 1.4.0)
"""
import asyncio
import os
import sys

import aiortc
from aiortc import RTCPeerConnection
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack


async def offer(direction):
    pc = RTCPeerConnection()
    if direction == 'recvonly':
        pc.addTransceiver('video', direction='recvonly')
        pc.addTransceiver('audio', direction='recvonly')
    else:
        pc.addTransceiver(VideoStreamTrack(), direction='sendonly')
        pc.addTransceiver(AudioStreamTrack(), direction='sendonly')
    # setLocalDescription gathers the host candidates: aiortc does not trickle.
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


async def main(out):
    version = aiortc.__version__.replace('.', '')
    for name, direction in (('whep', 'recvonly'), ('whip', 'sendonly')):
        with open(os.path.join(out, f'aiortc{version}_{name}_offer.sdp'), 'w', newline='') as f:
            f.write(await offer(direction))


asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else '.'))
