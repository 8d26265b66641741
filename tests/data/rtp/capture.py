#!/usr/bin/env python3
"""Captures the RTP packets FFmpeg sends for a media file, for the golden tests in tests/unit/rtp.

usage: capture.py OUT.rtp OUT.sdp -- FFMPEG-ARGS...   (FFMPEG-ARGS end before the rtp:// output)

The packets are written one after another, each preceded by its length as a 16-bit big-endian
number. FFmpeg's RTP muxer is an independent packetizer, so its output checks our depacketizers.
"""
import socket
import struct
import subprocess
import sys


def main() -> None:
    out_rtp, out_sdp, sep, *ffmpeg_args = sys.argv[1:]
    assert sep == "--"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *ffmpeg_args,
           "-f", "rtp", "-sdp_file", out_sdp, f"rtp://127.0.0.1:{port}?rtcpport={port + 1}"]
    subprocess.run(cmd, check=True)
    sock.settimeout(0.5)
    with open(out_rtp, "wb") as out:
        try:
            while True:
                packet = sock.recv(65536)
                out.write(struct.pack(">H", len(packet)) + packet)
        except socket.timeout:
            pass


if __name__ == "__main__":
    main()
