"""Helpers shared by the benchmark drivers in bench/: ports, /proc sampling, child processes."""
import os
import resource
import signal
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port(kind=socket.SOCK_STREAM, pair=False):
    """A free 127.0.0.1 port; with pair=True an even UDP port whose successor is free too."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if not pair:
            return port
        if port % 2 == 0 and port < 65535:
            try:
                for p in (port, port + 1):
                    with socket.socket(socket.AF_INET, kind) as s:
                        s.bind(("127.0.0.1", p))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime (proc(5) fields 14, 15)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Proc:
    """A child process in its own session, logged to a file, stopped with SIGTERM then SIGKILL."""

    def __init__(self, cmd, log, cwd=None, env=None):
        self.log = log
        self.p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=open(log, "wb"),
                                  stderr=subprocess.STDOUT, preexec_fn=raise_nofile, start_new_session=True)
        self.pid = self.p.pid

    def alive(self):
        return self.p.poll() is None

    def tail(self, n=3):
        try:
            with open(self.log, errors="replace") as f:
                return " / ".join(line.strip() for line in f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.alive():
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def wait_port(port, proc, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not proc.alive():
            raise RuntimeError(f"exited with {proc.p.returncode}: {proc.tail()}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"not listening on {port} after {seconds} s")
