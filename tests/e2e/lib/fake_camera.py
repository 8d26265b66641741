"""A fake IP camera for end-to-end tests: gst-rtsp-server (through python3-gi) serving a live
test pattern on one shared media factory, so every client sees the same running stream.

Run with Debian's interpreter (python3-gi is not visible to other pythons):

    /usr/bin/python3 tests/e2e/lib/fake_camera.py --port 8555 [--path /test]
        [--codec h264|h265|h264+opus] [--user U --password P [--auth basic|digest]]

It prints one line per event on stdout, flushed at once, which tests read from its log:
    READY <port> <path>          listening
    CONNECTED <n>                an RTSP client connected (n counts every connection so far)
    CLOSED                       that client's connection ended
The pattern is drawn without text (text overlays need gstreamer1.0-x).

Tests import FakeCamera from here: it runs this file as a process and reads those lines.
"""

import argparse
import pathlib
import signal
import subprocess
import sys
import time

WIDTH, HEIGHT, FPS = 320, 240, 30

VIDEO = {
    "h264": ("x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=500 "
             "! rtph264pay name=pay0 pt=96 config-interval=-1"),
    "h265": ("x265enc tune=zerolatency speed-preset=ultrafast key-int-max=30 "
             "bitrate=500 ! rtph265pay name=pay0 pt=96 config-interval=-1"),
}


def launch_line(codec):
    video = VIDEO["h265" if codec == "h265" else "h264"]
    # I420 also keeps x265enc from picking 4:4:4.
    line = (f"( videotestsrc is-live=true pattern=ball "
            f"! video/x-raw,format=I420,width={WIDTH},height={HEIGHT},framerate={FPS}/1 ! {video}")
    if codec == "h264+opus":
        line += (" audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample "
                 "! opusenc ! rtpopuspay name=pay1 pt=97")
    return line + " )"


def say(*words):
    print(*words, flush=True)


def serve():
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="/test")
    p.add_argument("--codec", choices=["h264", "h265", "h264+opus"], default="h264")
    p.add_argument("--user")
    p.add_argument("--password", default="")
    p.add_argument("--auth", choices=["basic", "digest"], default="basic")
    args = p.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(args.codec))
    factory.set_shared(True)

    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        if args.auth == "digest":
            auth.add_digest(args.user, args.password, token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        else:
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        server.set_auth(auth)
        role = Gst.Structure.from_string(
            "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0]
        factory.add_role_from_structure(role)

    server.get_mount_points().add_factory(args.path, factory)

    connections = [0]

    def on_client(_server, client):
        connections[0] += 1
        say("CONNECTED", connections[0])
        client.connect("closed", lambda _c: say("CLOSED"))

    server.connect("client-connected", on_client)
    if server.attach(None) == 0:
        say("ERROR cannot listen on port", args.port)
        return 1

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    say("READY", args.port, args.path)
    loop.run()
    return 0


class FakeCamera:
    """One fake camera process; its stdout goes to <folder>/camera.log. stop() and start() again
    reuse the same port, as a camera that reboots does."""

    def __init__(self, folder, port, path="/test", codec="h264", user=None, password="", auth="basic"):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port
        self.path = path
        self.args = ["--port", str(self.port), "--path", path, "--codec", codec]
        if user:
            self.args += ["--user", user, "--password", password, "--auth", auth]
        self.log_path = self.folder / "camera.log"
        self.proc = None
        self.starts = 0

    def start(self, timeout=20):
        self.starts += 1
        self.log = open(self.log_path, "a")
        self.log.write(f"--- start {self.starts}\n")
        self.log.flush()
        self.proc = subprocess.Popen(["/usr/bin/python3", __file__, *self.args], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not self.lines("READY"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"fake camera did not start:\n{self.text()}")
            time.sleep(0.05)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.log.close()

    def url(self, user=None, password=None):
        cred = f"{user}:{password}@" if user is not None else ""
        return f"rtsp://{cred}127.0.0.1:{self.port}{self.path}"

    def text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def lines(self, word):
        """Lines of the current run (since the last start) that begin with word."""
        current = self.text().rsplit(f"--- start {self.starts}\n", 1)[-1]
        return [line for line in current.splitlines() if line.split(" ", 1)[0] == word]

    def connections(self):
        """RTSP connections this run has accepted so far."""
        return len(self.lines("CONNECTED"))

    def open_connections(self):
        return len(self.lines("CONNECTED")) - len(self.lines("CLOSED"))


if __name__ == "__main__":
    sys.exit(serve())
