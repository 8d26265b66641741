"""Free ports on 127.0.0.1 for the servers the tests and the benchmarks (bench/benchlib.py) start."""
import socket


def free_port(kind=socket.SOCK_STREAM, pair=False):
    """A free 127.0.0.1 port (an even one followed by a free odd one when pair=True)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if not pair:
            if kind == socket.SOCK_DGRAM:  # WebRTC's ICE-TCP listens on the UDP port's number too
                try:
                    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                        t.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
        if port % 2 == 0 and port < 65535:
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as a, \
                        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b:
                    a.bind(("127.0.0.1", port))
                    b.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")
