#!/usr/bin/env python3
"""Records a real DTLS 1.2 close_notify with the secrets that open it, for DtlsAlertCipherTest.

usage: capture_close_notify.py OUTDIR   (Debian 12: /usr/bin/python3 with python3-aiortc)

Two python3-aiortc peers (OpenSSL 3 through pyOpenSSL) connect over loopback, once with each
AES-GCM suite DtlsEndpoint allows; then the offerer (the DTLS server: aiortc answers
setup:active) closes, and the datagram it sends, its close_notify, is recorded with the
session's master secret and randoms (pyOpenSSL reads them from the SSL). One file per suite,
close_notify_openssl_<suite>.txt, "name value" lines: suite (OpenSSL's name), then in hex
master_secret, client_random, server_random, then sender (server), then record in hex.
"""
import asyncio
import os
import sys

import aioice.ice
from aiortc import RTCPeerConnection, VideoStreamTrack
from OpenSSL import SSL

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]

SUITES = {"aes128gcm": b"ECDHE-ECDSA-AES128-GCM-SHA256", "aes256gcm": b"ECDHE-ECDSA-AES256-GCM-SHA384"}
sent = []  # (connection, datagram)
original_send = aioice.ice.Connection.send


async def recording_send(self, data):
    if 20 <= data[0] <= 63:  # DTLS (RFC 7983)
        sent.append((self, bytes(data)))
    return await original_send(self, data)


aioice.ice.Connection.send = recording_send


async def capture(suite):
    original = SSL.Context.set_cipher_list
    SSL.Context.set_cipher_list = lambda ctx, _: original(ctx, SUITES[suite])
    offerer, answerer = RTCPeerConnection(), RTCPeerConnection()
    offerer.addTrack(VideoStreamTrack())
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription)
    while offerer.connectionState != "connected" or answerer.connectionState != "connected":
        await asyncio.sleep(0.05)
    SSL.Context.set_cipher_list = original
    dtls = offerer.getTransceivers()[0].sender.transport
    ssl = dtls.ssl
    assert ssl.get_cipher_name() == SUITES[suite].decode(), ssl.get_cipher_name()
    secrets = {"suite": SUITES[suite].decode(), "master_secret": ssl.master_key().hex(),
               "client_random": ssl.client_random().hex(), "server_random": ssl.server_random().hex(),
               "sender": "server"}
    ice = dtls.transport._connection
    before = len(sent)
    await offerer.close()
    closing = [d for c, d in sent[before:] if c is ice]
    await answerer.close()
    assert len(closing) == 1 and closing[0][0] == 21, closing
    secrets["record"] = closing[0].hex()
    return secrets


def main(outdir):
    for suite in SUITES:
        lines = asyncio.run(capture(suite))
        with open(os.path.join(outdir, f"close_notify_openssl_{suite}.txt"), "w") as f:
            f.writelines(f"{k} {v}\n" for k, v in lines.items())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
