#!/usr/bin/python3
"""gst-rtsp-server as the RTSP fan-out peer: one shared media fed by H.264 RTP on a UDP port.

    /usr/bin/python3 bench/peers/gst_rtsp_server.py --port 8554 --udp-port 5004 --path /bench

The source (ffmpeg -re ... -f rtp rtp://127.0.0.1:5004) is live, so every reader joins the
same stream: a shared factory over a file would rewind it for each joiner (see LAB.md).
The pipeline repacketizes (depay, parse, pay), which is the peer's equivalent of ingest.
"""
import argparse
import signal

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8554)
    ap.add_argument("--udp-port", type=int, default=5004)
    ap.add_argument("--path", default="/bench")
    a = ap.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(a.address)
    server.set_service(str(a.port))
    server.set_backlog(2048)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( udpsrc address=127.0.0.1 port={a.udp_port} buffer-size=8388608 "
        'caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96" '
        "! rtph264depay ! h264parse config-interval=-1 "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )")
    factory.set_shared(True)
    server.get_mount_points().add_factory(a.path, factory)
    if server.attach(None) == 0:
        raise SystemExit(f"cannot listen on {a.address}:{a.port}")
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print(f"gst-rtsp-server on rtsp://{a.address}:{a.port}{a.path}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
