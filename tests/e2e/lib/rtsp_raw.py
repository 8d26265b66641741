"""A minimal RTSP client on a raw socket, for tests that send exact bytes (bad requests, odd
headers) and look at exact answers. Interleaved '$' frames before an answer are skipped."""

import socket
import time


class Response:
    def __init__(self, version, status, reason, headers, body):
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case name -> list of values
        self.body = body

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def __repr__(self):
        return f"<RTSP {self.status} {self.reason} {self.headers}>"


class RawRtsp:
    def __init__(self, port, host="127.0.0.1", timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.timeout = timeout
        self.buf = b""
        self.cseq = 0
        self.eof = False

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        self.sock.sendall(data)

    def request(self, method, url, headers=None, body=b"", cseq=True):
        """Sends a request (CSeq added unless cseq=False) and returns the answer (None if the
        server closed the connection instead)."""
        lines = [f"{method} {url} RTSP/1.0"]
        if cseq:
            self.cseq += 1
            lines.append(f"CSeq: {self.cseq}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return self.read_response()

    def _fill(self, deadline):
        if self.eof:
            return False
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def read_response(self, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            # Skip interleaved frames: '$', channel, 16-bit length, payload.
            while self.buf[:1] == b"$":
                if len(self.buf) < 4:
                    break
                size = 4 + int.from_bytes(self.buf[2:4], "big")
                if len(self.buf) < size:
                    break
                self.buf = self.buf[size:]
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0 and self.buf[:1] != b"$":
                head = self.buf[:end].decode(errors="replace").split("\r\n")
                headers = {}
                for line in head[1:]:
                    name, _, value = line.partition(":")
                    headers.setdefault(name.strip().lower(), []).append(value.strip())
                length = int(headers.get("content-length", ["0"])[0])
                while len(self.buf) < end + 4 + length:
                    if not self._fill(deadline):
                        return None
                body = self.buf[end + 4:end + 4 + length]
                self.buf = self.buf[end + 4 + length:]
                version, status, reason = (head[0].split(" ", 2) + ["", ""])[:3]
                return Response(version, int(status), reason, headers, body)
            if not self._fill(deadline):
                return None

    def closed_by_peer(self, timeout=10.0):
        """True once the server has closed the connection (reads to EOF, dropping any data)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.buf = b""
            try:
                if not self._fill(deadline):
                    return self.eof
            except socket.timeout:
                return False
        return False


def options_ok(port):
    """True if the server answers OPTIONS with 200 on a fresh connection."""
    try:
        with RawRtsp(port, timeout=5) as c:
            r = c.request("OPTIONS", f"rtsp://127.0.0.1:{port}/")
            return r is not None and r.status == 200
    except OSError:
        return False


def udp_pair():
    """Two bound UDP sockets on 127.0.0.1, RTP on an even port and RTCP on the next."""
    for _ in range(100):
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind(("127.0.0.1", 0))
        port = rtp.getsockname()[1]
        if port % 2 == 0:
            rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                rtcp.bind(("127.0.0.1", port + 1))
                return rtp, rtcp
            except OSError:
                rtcp.close()
        rtp.close()
    raise RuntimeError("no free UDP port pair")


def receiver_report(ssrc=0x12345678):
    """An empty RTCP receiver report (RFC 3550 §6.4.2): V=2, RC=0, PT=201, length 1."""
    return bytes([0x80, 201, 0, 1]) + ssrc.to_bytes(4, "big")
