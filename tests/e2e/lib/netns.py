"""A network namespace of the test's own: the test process moves into a fresh one whose only
interface is `lo` (up) and moves back afterwards. Processes started meanwhile (the server, ffmpeg,
ffprobe) live in it, so the test may use addresses and routes it could not touch on the machine.
The kernel removes the namespace with the last process in it. Needs root (CAP_SYS_ADMIN)."""

import contextlib
import ctypes
import os
import subprocess

CLONE_NEWNET = 0x40000000


def _ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True)


@contextlib.contextmanager
def loopback_namespace(multicast=False, multicast_route=True):
    """multicast: `lo` also carries IPv4 multicast, which a plain loopback cannot; with
    multicast_route 224.0.0.0/4 is routed to it, else joining a group or sending to one without
    naming `lo` by its address fails (ENODEV, ENETUNREACH), as on a host whose routes point
    elsewhere. Only the calling thread moves (namespaces are per thread)."""
    libc = ctypes.CDLL(None, use_errno=True)
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        if libc.unshare(CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET)")
        try:
            _ip("link", "set", "lo", "up")
            if multicast:
                _ip("link", "set", "lo", "multicast", "on")
                if multicast_route:
                    _ip("route", "add", "224.0.0.0/4", "dev", "lo")
            yield
        finally:
            if libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back to the test's namespace")
    finally:
        os.close(home)
