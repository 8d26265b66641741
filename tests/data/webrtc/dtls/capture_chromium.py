#!/usr/bin/env python3
"""Captures the DTLS datagrams Chromium sends as the DTLS client of a WebRTC session, for the
golden tests in tests/unit/proto/webrtc (DtlsRecordTest, DtlsEndpointTest).

usage: capture_chromium.py OUTDIR   (Debian 12: /usr/bin/python3 with python3-aiortc, chromium)

aiortc offers a video track (a=setup:actpass) to headless Chromium over loopback; Chromium
answers a=setup:active, so it opens the DTLS handshake exactly as a browser does towards a WHEP
server that answers setup:passive. Every DTLS datagram Chromium sends is recorded before aiortc
reads it: chromium156_clienthello_N.bin (its first flight: Chromium 156 offers a post-quantum key
share, so the ClientHello is larger than one 1200-byte datagram and comes in fragments) and
chromium156_client_flight.bin (Certificate ... Finished); chromium156_answer.sdp is the answer
with the fingerprint of the certificate in that flight.
"""
import asyncio
import json
import os
import subprocess
import sys
import tempfile

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import VideoStreamTrack

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

PAGE = b"""<!doctype html><video id=v muted autoplay playsinline></video><script>
(async () => {
  const offer = await (await fetch('/offer')).json();
  const pc = new RTCPeerConnection();
  pc.ontrack = (e) => { document.getElementById('v').srcObject = new MediaStream([e.track]); };
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  await new Promise((done) => {
    if (pc.iceGatheringState === 'complete') done();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && done();
    setTimeout(done, 2000);
  });
  await fetch('/answer', {method: 'POST', body: JSON.stringify(pc.localDescription)});
})();
</script>"""

dtls = []
original_recv = aioice.ice.Connection.recv


async def recording_recv(self):
    data = await original_recv(self)
    if 20 <= data[0] <= 63:  # DTLS (RFC 7983)
        dtls.append(bytes(data))
    return data


aioice.ice.Connection.recv = recording_recv


def loopback_only(sdp):
    return "".join(line for line in sdp.splitlines(keepends=True)
                   if not line.startswith("a=candidate:") or " 127.0.0.1 " in line)


async def main(outdir):
    pc = RTCPeerConnection()
    pc.addTrack(VideoStreamTrack())
    await pc.setLocalDescription(await pc.createOffer())
    connected = asyncio.get_running_loop().create_future()

    @pc.on("connectionstatechange")
    def on_state():
        if pc.connectionState in ("connected", "failed") and not connected.done():
            connected.set_result(pc.connectionState)

    async def serve(reader, writer):
        request = await reader.readuntil(b"\r\n\r\n")
        line = request.split(b"\r\n")[0].decode()
        length = 0
        for header in request.split(b"\r\n")[1:]:
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
        body = await reader.readexactly(length) if length else b""
        if line.startswith("GET /offer"):
            payload = json.dumps({"type": "offer", "sdp": pc.localDescription.sdp}).encode()
        elif line.startswith("POST /answer"):
            answer = json.loads(body)
            with open(os.path.join(outdir, "chromium156_answer.sdp"), "w") as f:
                f.write(answer["sdp"])
            await pc.setRemoteDescription(RTCSessionDescription(sdp=loopback_only(answer["sdp"]), type="answer"))
            payload = b"{}"
        else:
            payload = PAGE
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: " + str(len(payload)).encode()
                     + b"\r\nConnection: close\r\n\r\n" + payload)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    profile = tempfile.mkdtemp()
    chrome = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--allow-loopback-in-peer-connection",
         "--disable-features=WebRtcHideLocalIpsWithMdns", f"--user-data-dir={profile}", f"http://127.0.0.1:{port}/"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        state = await asyncio.wait_for(connected, 30)
        print("connection", state, file=sys.stderr)
    finally:
        chrome.terminate()
        chrome.wait()
        await pc.close()
        server.close()

    print(f"{len(dtls)} DTLS datagrams from Chromium: {[len(d) for d in dtls]}", file=sys.stderr)
    hellos = 0
    for data in dtls:
        # A plaintext handshake record (22, epoch 0) whose message type is client_hello (1).
        if data[0] == 22 and data[3:5] == b"\0\0" and data[13] == 1:
            offset = int.from_bytes(data[13 + 6:13 + 9], "big")
            if offset == 0 and hellos:
                continue  # a retransmission (aiortc answered late): keep the first copy
            hellos += 1
            name = f"chromium156_clienthello_{hellos}.bin"
        else:
            name = "chromium156_client_flight.bin"
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        if not name.startswith("chromium156_clienthello"):
            break

asyncio.run(main(sys.argv[1]))
