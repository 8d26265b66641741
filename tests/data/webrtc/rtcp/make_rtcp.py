#!/usr/bin/env python3
"""Writes the RTCP golden files of tests/unit/rtp/rtcp with aiortc 1.4.0's RTCP serializer.

usage: make_rtcp.py   (writes beside itself; Debian 12: apt-get install python3-aiortc)

aiortc is an independent RTCP implementation, so its bytes check our parsers and serializers.
The packets are the ones a browser's receiver sends us back on a WHEP session, in the RFC 3550
§6.1 compound order (RR first, then SDES with its CNAME, then feedback), plus the reduced-size
forms (RFC 5506) and what a publisher sends (SR, BYE). Chromium uses SSRC 1 for its RTCP when
it only receives, and a 16-character random CNAME.
"""
import os

from aiortc.rtp import (
    RtcpByePacket,
    RtcpPsfbPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSdesPacket,
    RtcpSenderInfo,
    RtcpSourceInfo,
    RtcpSrPacket,
)

BROWSER_SSRC = 1
CNAME = b"f1yYZLHYkVbGJOmu"
VIDEO_SSRC = 0x5C2F7A1E  # ours, the media source the browser reports on
AUDIO_SSRC = 0x0BADCAFE

rr = RtcpRrPacket(
    ssrc=BROWSER_SSRC,
    reports=[
        RtcpReceiverInfo(
            ssrc=VIDEO_SSRC,
            fraction_lost=5,
            packets_lost=12,
            highest_sequence=0x00012345,
            jitter=321,
            lsr=0xA1B2C3D4,
            dlsr=0x00018000,
        ),
        RtcpReceiverInfo(
            ssrc=AUDIO_SSRC,
            fraction_lost=0,
            packets_lost=-2,  # duplicates: a negative cumulative loss
            highest_sequence=0x0000FFFF,
            jitter=7,
            lsr=0,
            dlsr=0,
        ),
    ],
)
sdes = RtcpSdesPacket(chunks=[RtcpSourceInfo(ssrc=BROWSER_SSRC, items=[(1, CNAME)])])
# Missing 10000, 10001, 10003 (one PID+BLP) and 10020 (a second).
nack = RtcpRtpfbPacket(fmt=1, ssrc=BROWSER_SSRC, media_ssrc=VIDEO_SSRC, lost=[10000, 10001, 10003, 10020])
pli = RtcpPsfbPacket(fmt=1, ssrc=BROWSER_SSRC, media_ssrc=VIDEO_SSRC)
sr = RtcpSrPacket(
    ssrc=VIDEO_SSRC,
    sender_info=RtcpSenderInfo(
        ntp_timestamp=0xE9A1B2C3_80000000, rtp_timestamp=0x12345678, packet_count=1000, octet_count=1200000
    ),
    reports=[RtcpReceiverInfo(ssrc=AUDIO_SSRC, fraction_lost=0, packets_lost=0, highest_sequence=42, jitter=0, lsr=0, dlsr=0)],
)
bye = RtcpByePacket(sources=[VIDEO_SSRC, AUDIO_SSRC])

files = {
    "rr_sdes.bin": [rr, sdes],
    "rr_sdes_nack.bin": [rr, sdes, nack],
    "rr_sdes_pli.bin": [rr, sdes, pli],
    "nack_rsize.bin": [nack],
    "pli_rsize.bin": [pli],
    "sr_sdes_bye.bin": [sr, RtcpSdesPacket(chunks=[RtcpSourceInfo(ssrc=VIDEO_SSRC, items=[(1, CNAME)])]), bye],
}
here = os.path.dirname(os.path.abspath(__file__))
for name, packets in files.items():
    with open(os.path.join(here, name), "wb") as out:
        out.write(b"".join(bytes(p) for p in packets))
