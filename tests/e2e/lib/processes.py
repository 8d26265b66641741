"""Background client processes for end-to-end tests: ffmpeg readers that report how many frames
they decoded so far, ffmpeg publishers, anything else. Each logs to its own file."""

import pathlib
import re
import signal
import subprocess
import time


class Proc:
    def __init__(self, name, cmd, log_path):
        self.name = name
        self.cmd = [str(c) for c in cmd]
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.started = time.monotonic()
        self.popen = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL)

    def running(self):
        return self.popen.poll() is None

    def wait(self, timeout=60):
        """The exit status; fails the test if the process is still running after timeout."""
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} still running after {timeout} s:\n{self.text()[-3000:]}")

    def stop(self, sig=signal.SIGINT, timeout=10):
        """Asks the process to end (SIGINT lets ffmpeg finish its output), kills it if it does not."""
        if self.running():
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if not self.log.closed:
            self.log.close()
        return self.popen.returncode

    def text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Reader(Proc):
    """ffmpeg decoding the first video stream of url to nothing; frames() says how many frames it
    decoded so far (from ffmpeg's -progress reports, five a second). transport None: not RTSP."""

    def __init__(self, name, url, log_path, transport="tcp", extra=()):
        self.progress_path = log_path.with_suffix(".progress")
        rtsp = ["-rtsp_transport", transport] if transport else []
        cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", *rtsp, "-i", url,
               *extra, "-map", "0:v:0", "-f", "null", "-",
               "-progress", str(self.progress_path), "-stats_period", "0.2"]
        super().__init__(name, cmd, log_path)

    def frames(self):
        if not self.progress_path.exists():
            return 0
        found = re.findall(r"^frame=(\d+)$", self.progress_path.read_text(errors="replace"), re.M)
        return int(found[-1]) if found else 0


class Processes:
    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.all = []

    def _log(self, name):
        return self.folder / f"{len(self.all):02d}-{name}.log"

    def spawn(self, name, cmd):
        p = Proc(name, cmd, self._log(name))
        self.all.append(p)
        return p

    def reader(self, url, transport="tcp", name="reader", extra=()):
        p = Reader(name, url, self._log(name), transport, extra)
        self.all.append(p)
        return p

    def publisher(self, url, clip, transport=None, loop=True, name="publisher"):
        """ffmpeg -re publishing clip (stream copy) to url; loops the clip forever unless loop=False.
        transport None keeps ffmpeg's default (UDP)."""
        cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-re"]
        if loop:
            cmd += ["-stream_loop", "-1"]
        cmd += ["-i", str(clip), "-map", "0", "-c", "copy", "-f", "rtsp"]
        if transport:
            cmd += ["-rtsp_transport", transport]
        return self.spawn(name, cmd + [url])

    def stop_all(self):
        for p in self.all:
            p.stop(timeout=5)
