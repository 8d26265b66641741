#!/usr/bin/env python3
"""Captures the RTCP that Chromium sends in a WebRTC session, for the golden tests in
tests/unit/rtp/rtcp.

usage: capture_chromium.py OUTDIR   (Debian 12: python3-aiortc, chromium)

Headless Chromium and aiortc exchange video over loopback (both told to use 127.0.0.1 for
ICE): aiortc sends a VP8 track that Chromium receives, Chromium sends its fake camera that
aiortc receives. aiortc records every RTCP datagram Chromium sends, after SRTCP unprotect. It
drops one RTP packet (Chromium asks for it with a generic NACK, aiortc retransmits it) and later
another that it never retransmits (Chromium asks on, then wants a key frame: PLI). It writes
the first datagram of each shape:
  chromium_sr_sdes.bin       SR + SDES (CNAME), Chromium as a sender (a WHIP publisher)
  chromium_sr_sdes_remb.bin  the same with a REMB (PSFB FMT=15) after them
  chromium_rr_nack.bin       RR (two report blocks: media and RTX) + generic NACK
  chromium_rr_pli.bin        RR + PLI
aiortc does not answer a=rtcp-rsize, so these are full compound packets (RFC 3550 §6.1).
"""
import asyncio
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, VideoStreamTrack
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcrtpsender import RTCRtpSender

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

PAGE = b"""<!doctype html><video id=v muted autoplay playsinline></video><script>
(async () => {
  const pc = new RTCPeerConnection();
  pc.ontrack = (e) => { document.getElementById('v').srcObject = new MediaStream([e.track]); };
  pc.addTransceiver('video', {direction: 'recvonly'});
  const camera = await navigator.mediaDevices.getUserMedia({video: {width: 320, height: 240}});
  pc.addTransceiver(camera.getVideoTracks()[0], {direction: 'sendonly'});
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((done) => {
    if (pc.iceGatheringState === 'complete') done();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && done();
    setTimeout(done, 2000);
  });
  const answer = await fetch('/offer', {method: 'POST', body: JSON.stringify(pc.localDescription)});
  await pc.setRemoteDescription(await answer.json());
})();
</script>"""

captured = []
sent = {"count": 0}
DROP_NACKED = 100    # the 100th RTP packet sent is dropped, then retransmitted on NACK
DROP_FOREVER = 200   # the 200th is dropped and never retransmitted
never = set()

original_rtcp = RTCDtlsTransport._handle_rtcp_data
original_send = RTCDtlsTransport._send_rtp
original_retransmit = RTCRtpSender._retransmit


async def record_rtcp(self, data):
    captured.append(bytes(data))
    await original_rtcp(self, data)


async def lossy_send(self, data):
    if 128 <= data[0] < 192 and not (192 <= data[1] <= 223):  # RTP, not RTCP (RFC 5761 §4)
        sent["count"] += 1
        seq = struct.unpack("!H", data[2:4])[0]
        if sent["count"] == DROP_NACKED:
            return
        if sent["count"] == DROP_FOREVER:
            never.add(seq)
            return
    await original_send(self, data)


async def selective_retransmit(self, sequence_number):
    if sequence_number in never:
        return
    await original_retransmit(self, sequence_number)


RTCDtlsTransport._handle_rtcp_data = record_rtcp
RTCDtlsTransport._send_rtp = lossy_send
RTCRtpSender._retransmit = selective_retransmit


def loopback_only(sdp):
    """Keeps the 127.0.0.1 candidates: the capture stays on the loopback interface."""
    return "".join(line for line in sdp.splitlines(keepends=True)
                   if not line.startswith("a=candidate:") or " 127.0.0.1 " in line)


async def main(outdir):
    pc = RTCPeerConnection()
    incoming = []
    done = asyncio.get_running_loop().create_future()

    async def answer(offer_json):
        offer = json.loads(offer_json)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=loopback_only(offer["sdp"]), type="offer"))
        for transceiver in pc.getTransceivers():
            if transceiver._offerDirection == "sendonly":  # Chromium receives on it
                transceiver.sender.replaceTrack(VideoStreamTrack())
                transceiver.direction = "sendonly"
            else:
                transceiver.direction = "recvonly"
                incoming.append(transceiver.receiver.track)
        await pc.setLocalDescription(await pc.createAnswer())
        if not done.done():
            done.set_result(True)
        return json.dumps({"type": "answer", "sdp": pc.localDescription.sdp}).encode()

    async def serve(reader, writer):
        try:
            request = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            writer.close()
            return
        line = request.split(b"\r\n")[0].decode()
        length = 0
        for header in request.split(b"\r\n")[1:]:
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
        body = await reader.readexactly(length) if length else b""
        if line.startswith("POST /offer"):
            payload, kind = await answer(body), b"application/json"
        else:
            payload, kind = PAGE, b"text/html"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                     + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    profile = tempfile.mkdtemp()
    chrome = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--allow-loopback-in-peer-connection",
         "--disable-features=WebRtcHideLocalIpsWithMdns", "--autoplay-policy=no-user-gesture-required",
         "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
         f"--user-data-dir={profile}", f"http://127.0.0.1:{port}/"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await asyncio.wait_for(done, 20)

        async def drain(track):  # what Chromium sends us, received and dropped
            try:
                while True:
                    await track.recv()
            except MediaStreamError:
                pass

        for track in incoming:
            asyncio.ensure_future(drain(track))
        await asyncio.sleep(20)
    finally:
        chrome.terminate()
        chrome.wait()
        shutil.rmtree(profile, ignore_errors=True)
        await pc.close()
        server.close()

    print(f"{len(captured)} RTCP datagrams from Chromium, {sent['count']} RTP packets sent", file=sys.stderr)

    def shape(data):
        return [(kind, first & 0x1F) for first, kind in iter_packets(data)]

    def iter_packets(data):
        pos = 0
        while pos + 4 <= len(data):
            first, kind, length = struct.unpack("!BBH", data[pos:pos + 4])
            yield first, kind
            pos += 4 * (length + 1)

    # (type, count/FMT) of each packet: 200 SR, 201 RR, 202 SDES, 205/1 NACK, 206/1 PLI, 206/15 REMB.
    wanted = {
        "chromium_sr_sdes.bin": lambda d: shape(d) == [(200, 0), (202, 1)],
        "chromium_sr_sdes_remb.bin": lambda d: shape(d) == [(200, 0), (202, 1), (206, 15)],
        "chromium_rr_nack.bin": lambda d: shape(d) == [(201, 2), (205, 1)],
        "chromium_rr_pli.bin": lambda d: [p for p in shape(d) if p[0] == 206] == [(206, 1)],
    }
    for name, match in wanted.items():
        found = next((d for d in captured if match(d)), None)
        print(name, "found" if found else "MISSING", file=sys.stderr)
        if found:
            with open(os.path.join(outdir, name), "wb") as f:
                f.write(found)


asyncio.run(main(sys.argv[1]))
