"""A minimal RTMP client for the end-to-end tests: a publisher and a player over plain RTMP
(Adobe RTMP specification 1.0, AMF0 specification), and FLV video tag bodies in both forms, the
legacy AVC one (CodecID 7) and Enhanced RTMP's (Veovera "Enhanced RTMP" v1/v2: an ExVideoTagHeader
with a FourCC such as 'av01', 'hvc1', 'avc1').

Why it exists: no client on Debian 12 speaks Enhanced RTMP (FFmpeg 5.1's FLV muxer and
GStreamer 1.22's rtmp2sink write legacy codec ids only), so without it nothing here could publish
AV1 or H.265 over RTMP or check what a server sends back. It is written from the specifications,
independent of src/proto/rtmp, so that a test holds the server to the specifications rather than
to its own reading of them. Blocking sockets, standard library only; it sends what it is given
and checks nothing about the media it carries.

    with Publisher("rtmp://127.0.0.1:1935/live/cam") as pub:
        pub.send_metadata({"videocodecid": int.from_bytes(b"av01", "big")})
        pub.send_video(0, ex_video_body(KEY_FRAME, SEQUENCE_START, b"av01", av1c))
    with Player("rtmp://127.0.0.1:1935/live/cam") as player:
        messages = player.read_messages(lambda ms: len(ms) >= 10, timeout=20)

A refused publish or play (an onStatus of level "error") and an _error answer raise RtmpError
naming the code and description the server gave.
"""

import collections
import os
import socket
import struct
import time
import urllib.parse
from dataclasses import dataclass

# §5.4 protocol control, §6.2 user control, §7.1 message types.
SET_CHUNK_SIZE = 1
ABORT = 2
ACKNOWLEDGEMENT = 3
USER_CONTROL = 4
WINDOW_ACK_SIZE = 5
SET_PEER_BANDWIDTH = 6
AUDIO = 8
VIDEO = 9
DATA_AMF0 = 18
COMMAND_AMF0 = 20
MEDIA_TYPES = {AUDIO: "audio", VIDEO: "video", DATA_AMF0: "data"}
PING_REQUEST = 6
PING_RESPONSE = 7

# Chunk stream ids we write on (§5.3.1.1: 2 is for protocol control, 3 and up are free).
CSID_CONTROL = 2
CSID_COMMAND = 3
CSID_DATA = 4
CSID_VIDEO = 6

RTMP_VERSION = 3
HANDSHAKE_SIZE = 1536         # C1/S1/C2/S2 (§5.2.3)
DEFAULT_CHUNK_SIZE = 128      # until a Set Chunk Size says otherwise (§5.4.1)
CHUNK_SIZE = 4096             # what we announce at once
EXTENDED_TIMESTAMP = 0xFFFFFF

# FLV video tags (FLV spec v10.1 §E.4.3.1; Enhanced RTMP ExVideoTagHeader).
KEY_FRAME = 1
INTER_FRAME = 2
SEQUENCE_START = 0            # legacy AVCPacketType 0: AVC sequence header
CODED_FRAMES = 1              # legacy 1: NALU
CODED_FRAMES_X = 3            # coded frames, composition time 0 and not written
METADATA = 4
AVC_CODEC_ID = 7
IS_EX_HEADER = 0x80
FOURCCS_WITH_CTS = (b"avc1", b"hvc1")  # only their CodedFrames carry SI24 composition time

# AMF0 markers (AMF0 specification §2.1).
AMF_NUMBER, AMF_BOOLEAN, AMF_STRING, AMF_OBJECT = 0x00, 0x01, 0x02, 0x03
AMF_NULL, AMF_UNDEFINED, AMF_ECMA_ARRAY, AMF_OBJECT_END, AMF_STRICT_ARRAY = 0x05, 0x06, 0x08, 0x09, 0x0A


class RtmpError(Exception):
    """The server refused a command: an _error answer or an onStatus of level "error"."""


class EcmaArray(dict):
    """A dict to encode as an AMF0 ECMA array (what onMetaData carries) rather than an object."""


@dataclass
class Message:
    type_id: int
    timestamp: int            # milliseconds
    body: bytes


# ---------------------------------------------------------------------------- AMF0

def amf0_encode(*values):
    """AMF0 for Python values: float/int → number, bool, str → string, None → null, dict →
    object, EcmaArray → ECMA array, list/tuple → strict array."""
    out = bytearray()
    for v in values:
        _encode(v, out)
    return bytes(out)


def _encode_utf8(text, out):
    """A string without its marker: u16 length, UTF-8 (§2.4); also an object's keys."""
    raw = text.encode("utf-8")
    out += struct.pack(">H", len(raw)) + raw


def _encode_properties(properties, out):
    """Key/value pairs, then the empty key and the object-end marker (§2.5)."""
    for key, value in properties.items():
        _encode_utf8(key, out)
        _encode(value, out)
    out += b"\x00\x00" + bytes([AMF_OBJECT_END])


def _encode(v, out):
    if isinstance(v, bool):  # before int: bool is an int
        out += bytes([AMF_BOOLEAN, v])
    elif isinstance(v, (int, float)):
        out += bytes([AMF_NUMBER]) + struct.pack(">d", v)
    elif isinstance(v, str):
        out.append(AMF_STRING)
        _encode_utf8(v, out)
    elif v is None:
        out.append(AMF_NULL)
    elif isinstance(v, EcmaArray):
        out += bytes([AMF_ECMA_ARRAY]) + struct.pack(">I", len(v))
        _encode_properties(v, out)
    elif isinstance(v, dict):
        out.append(AMF_OBJECT)
        _encode_properties(v, out)
    elif isinstance(v, (list, tuple)):
        out += bytes([AMF_STRICT_ARRAY]) + struct.pack(">I", len(v))
        for value in v:
            _encode(value, out)
    else:
        raise TypeError(f"no AMF0 encoding for {type(v).__name__}")


def amf0_decode(data):
    """Every AMF0 value in data, in order (undefined decodes as None). Malformed input raises
    ValueError."""
    values, pos = [], 0
    while pos < len(data):
        value, pos = _decode(data, pos)
        values.append(value)
    return values


def _take(data, pos, n):
    if pos + n > len(data):
        raise ValueError(f"AMF0 value cut short at offset {pos} (needs {n} bytes, {len(data) - pos} left)")
    return data[pos:pos + n], pos + n


def _decode_utf8(data, pos):
    raw, pos = _take(data, pos, 2)
    raw, pos = _take(data, pos, struct.unpack(">H", raw)[0])
    return raw.decode("utf-8"), pos


def _decode_properties(data, pos, into):
    """Key/value pairs up to the empty key and object-end marker (§2.5)."""
    while True:
        key, pos = _decode_utf8(data, pos)
        if not key and pos < len(data) and data[pos] == AMF_OBJECT_END:
            return into, pos + 1
        into[key], pos = _decode(data, pos)


def _decode(data, pos):
    marker, pos = _take(data, pos, 1)
    marker = marker[0]
    if marker == AMF_NUMBER:
        raw, pos = _take(data, pos, 8)
        return struct.unpack(">d", raw)[0], pos
    if marker == AMF_BOOLEAN:
        raw, pos = _take(data, pos, 1)
        return raw[0] != 0, pos
    if marker == AMF_STRING:
        return _decode_utf8(data, pos)
    if marker in (AMF_NULL, AMF_UNDEFINED):
        return None, pos
    if marker == AMF_OBJECT:
        return _decode_properties(data, pos, {})
    if marker == AMF_ECMA_ARRAY:
        _, pos = _take(data, pos, 4)  # the count is a hint; the end marker ends it
        return _decode_properties(data, pos, EcmaArray())
    if marker == AMF_STRICT_ARRAY:
        raw, pos = _take(data, pos, 4)
        items = []
        for _ in range(struct.unpack(">I", raw)[0]):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    raise ValueError(f"AMF0 marker 0x{marker:02x} at offset {pos - 1} is not handled")


# ---------------------------------------------------------------------------- FLV video bodies

@dataclass
class VideoBody:
    enhanced: bool
    frame_type: int           # KEY_FRAME, INTER_FRAME...
    packet_type: int          # SEQUENCE_START, CODED_FRAMES... (legacy AVCPacketType 0-2 alike)
    codec: object             # the FourCC (bytes) of an enhanced body, the CodecID (int) of a legacy one
    cts: int                  # composition time offset in ms; 0 where the body has none
    data: bytes


def avc_video_body(frame_type, packet_type, data, cts=0):
    """A legacy AVC video tag body: FrameType(4) CodecID(4)=7 | AVCPacketType | SI24 cts | data."""
    return bytes([frame_type << 4 | AVC_CODEC_ID, packet_type]) + cts.to_bytes(3, "big", signed=True) + data


def ex_video_body(frame_type, packet_type, fourcc, data, cts=None):
    """An Enhanced RTMP video tag body: IsExHeader(1)=1 FrameType(3) PacketType(4) | FourCC |
    [SI24 cts: CodedFrames of 'avc1' and 'hvc1' only] | data. 'av01' and 'vp09' CodedFrames have no
    composition time, so giving one for them is an error rather than silently dropped."""
    head = bytes([IS_EX_HEADER | frame_type << 4 | packet_type]) + fourcc
    if packet_type == CODED_FRAMES and fourcc in FOURCCS_WITH_CTS:
        head += (cts or 0).to_bytes(3, "big", signed=True)
    elif cts is not None:
        raise ValueError(f"a {fourcc!r} body of packet type {packet_type} has no composition time")
    return head + data


def parse_video_body(body):
    """The fields of a legacy AVC or an Enhanced RTMP video tag body (packet types up to Metadata;
    multitrack and ModEx bodies raise ValueError, as do other legacy codecs and short bodies)."""
    if not body:
        raise ValueError("empty video body")
    if body[0] & IS_EX_HEADER:
        frame_type, packet_type = body[0] >> 4 & 0x07, body[0] & 0x0F
        if packet_type > METADATA:
            raise ValueError(f"enhanced video packet type {packet_type} is not handled")
        fourcc = bytes(body[1:5])
        has_cts = packet_type == CODED_FRAMES and fourcc in FOURCCS_WITH_CTS
        start = 8 if has_cts else 5
        if len(body) < start:
            raise ValueError(f"enhanced video body of {len(body)} bytes, its header needs {start}")
        cts = int.from_bytes(body[5:8], "big", signed=True) if has_cts else 0
        return VideoBody(True, frame_type, packet_type, fourcc, cts, bytes(body[start:]))
    frame_type, codec_id = body[0] >> 4, body[0] & 0x0F
    if codec_id != AVC_CODEC_ID:
        raise ValueError(f"legacy video codec id {codec_id} is not handled")
    if len(body) < 5:
        raise ValueError(f"AVC video body of {len(body)} bytes, its header needs 5")
    return VideoBody(False, frame_type, body[1], codec_id, int.from_bytes(body[2:5], "big", signed=True),
                     bytes(body[5:]))


# ---------------------------------------------------------------------------- connection

def parse_url(url):
    """rtmp://HOST[:PORT]/app/name → (host, port, app, name); rtmp://HOST/name → app "name" and an
    empty stream name, as FFmpeg and OBS send it (the server joins app and name into the path)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "rtmp" or not parts.hostname:
        raise ValueError(f"not an rtmp:// URL: {url}")
    app, _, name = parts.path.lstrip("/").partition("/")
    return parts.hostname, parts.port or 1935, app, name


@dataclass
class _ChunkStream:
    """What later chunk headers of one chunk stream leave out (§5.3.1.2)."""
    timestamp: int = 0
    delta: int = 0
    length: int = 0
    type_id: int = 0
    extended: bool = False    # its last type 0-2 header had an extended timestamp
    body: bytearray | None = None  # the message being reassembled; None between messages


def handshake(sock, read=None):
    """§5.2 on a connected socket: C0 C1 → S0 S1 S2 → C2. C1 is time (0), zero, and random bytes;
    C2 echoes S1; S2 must echo C1's random bytes. `read(n)` reads n bytes (default: from sock)."""
    def recv_exactly(n):
        data = b""
        while len(data) < n:
            more = sock.recv(n - len(data))
            if not more:
                raise ConnectionError("the server closed the connection during the handshake")
            data += more
        return data

    read = read or recv_exactly
    c1 = bytes(8) + os.urandom(HANDSHAKE_SIZE - 8)
    sock.sendall(bytes([RTMP_VERSION]) + c1)
    s0 = read(1)[0]
    if s0 != RTMP_VERSION:
        raise ValueError(f"server answered RTMP version {s0}")
    s1 = read(HANDSHAKE_SIZE)
    s2 = read(HANDSHAKE_SIZE)
    if s2[8:] != c1[8:]:
        raise ValueError("S2 does not echo C1")
    sock.sendall(s1)


class _Connection:
    """Handshake, chunk stream, protocol control and NetConnection connect (§5-§7); a subclass's
    _start() then publishes or plays. `timeout` bounds each wait for the server."""

    def __init__(self, url, timeout=10):
        self.url = url
        host, port, self.app, self.name = parse_url(url)
        self.timeout = timeout
        self.stream_id = None
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self._inbox = bytearray()
        self._received = 0       # bytes read, handshake included (§5.4.3 sequence number)
        self._acknowledged = 0
        self._window = 0         # the server's Window Acknowledgement Size; 0: none yet
        self._in_chunk_size = DEFAULT_CHUNK_SIZE
        self._out_chunk_size = DEFAULT_CHUNK_SIZE
        self._chunk_streams = {}
        self._backlog = collections.deque()  # messages read while waiting for a command answer
        self._transaction = 0
        try:
            handshake(self.sock, self._read)
            self._send(CSID_CONTROL, SET_CHUNK_SIZE, 0, 0, struct.pack(">I", CHUNK_SIZE))
            self._out_chunk_size = CHUNK_SIZE
            self._call("connect", {"app": self.app, "type": "nonprivate", "flashVer": "FMLE/3.0 (ocellus tests)",
                                   "tcUrl": f"rtmp://{host}:{port}/{self.app}", "objectEncoding": 0,
                                   "fourCcList": ["av01", "hvc1", "avc1"]})  # Enhanced RTMP v1 capability
            self._start()
        except BaseException:
            self.sock.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, kind, *_):
        if kind is None:
            self.close()
        else:
            self.sock.close()

    def close(self):
        """deleteStream (§7.2.2.3), then closes the socket."""
        if self.stream_id is not None:
            self._send_command("deleteStream", None, self.stream_id)
        self.sock.close()

    def _send(self, csid, type_id, stream_id, timestamp, payload):
        """One message: a type 0 chunk, then type 3 chunks (§5.3.1), the extended timestamp
        repeated in each when the timestamp needs one."""
        ext = struct.pack(">I", timestamp) if timestamp >= EXTENDED_TIMESTAMP else b""
        out = bytearray([csid]) + min(timestamp, EXTENDED_TIMESTAMP).to_bytes(3, "big")
        out += len(payload).to_bytes(3, "big") + bytes([type_id])
        out += struct.pack("<I", stream_id) + ext  # the message stream id is little-endian
        for pos in range(0, len(payload), self._out_chunk_size):
            if pos:
                out += bytes([0xC0 | csid]) + ext
            out += payload[pos:pos + self._out_chunk_size]
        self.sock.sendall(out)

    def _read(self, n):
        """n bytes from the socket, acknowledging each window received (§5.4.3)."""
        while len(self._inbox) < n:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            self._inbox += data
            self._received += len(data)
            if self._window and self._received - self._acknowledged >= self._window:
                self._acknowledged = self._received
                self._send(CSID_CONTROL, ACKNOWLEDGEMENT, 0, 0, struct.pack(">I", self._received & 0xFFFFFFFF))
        out = bytes(self._inbox[:n])
        del self._inbox[:n]
        return out

    def _read_message(self):
        """The next complete message of any chunk stream (§5.3.1: formats 0-3, extended timestamps)."""
        while True:
            first = self._read(1)[0]
            fmt, csid = first >> 6, first & 0x3F
            if csid == 0:
                csid = 64 + self._read(1)[0]
            elif csid == 1:
                low, high = self._read(2)
                csid = 64 + low + high * 256
            if fmt != 0 and csid not in self._chunk_streams:
                raise ValueError(f"chunk of format {fmt} on chunk stream {csid}, which never had a type 0 header")
            cs = self._chunk_streams.setdefault(csid, _ChunkStream())
            if fmt < 3:
                header = self._read((11, 7, 3)[fmt])
                stamp = int.from_bytes(header[0:3], "big")
                if fmt < 2:  # type 0 ends with the message stream id, which nothing here needs
                    cs.length, cs.type_id = int.from_bytes(header[3:6], "big"), header[6]
                cs.extended = stamp == EXTENDED_TIMESTAMP
                if cs.extended:
                    stamp = struct.unpack(">I", self._read(4))[0]
                # Type 0 carries the absolute timestamp, types 1 and 2 a delta that type 3 headers
                # starting a new message reuse.
                cs.timestamp, cs.delta = (stamp, 0) if fmt == 0 else (cs.timestamp + stamp, stamp)
                cs.body = bytearray()
            else:
                if cs.extended:
                    self._read(4)  # §5.3.1.3: repeated in type 3 chunks
                if cs.body is None:
                    cs.timestamp += cs.delta
                    cs.body = bytearray()
            cs.body += self._read(min(cs.length - len(cs.body), self._in_chunk_size))
            if len(cs.body) == cs.length:
                body, cs.body = bytes(cs.body), None
                return cs.type_id, cs.timestamp, body

    def _next_message(self):
        """The next message other than protocol and user control, which are acted on here."""
        while True:
            type_id, timestamp, body = self._read_message()
            if type_id == SET_CHUNK_SIZE:
                self._in_chunk_size = struct.unpack(">I", body[:4])[0] & 0x7FFFFFFF
            elif type_id == WINDOW_ACK_SIZE:
                self._window = struct.unpack(">I", body[:4])[0]
            elif type_id == USER_CONTROL:
                if struct.unpack(">H", body[:2])[0] == PING_REQUEST:  # §7.1.7: echo its timestamp
                    self._send(CSID_CONTROL, USER_CONTROL, 0, 0, struct.pack(">H", PING_RESPONSE) + body[2:6])
            elif type_id not in (ABORT, ACKNOWLEDGEMENT, SET_PEER_BANDWIDTH):  # nothing to do for these
                return Message(type_id, timestamp, body)

    def _send_command(self, name, *args, transaction=0):
        """A command on the NetStream once createStream gave one, else on the NetConnection."""
        self._send(CSID_COMMAND, COMMAND_AMF0, self.stream_id or 0, 0, amf0_encode(name, transaction, *args))

    def _next_command(self):
        """The values of the next AMF0 command; other messages wait in the backlog."""
        while True:
            m = self._next_message()
            if m.type_id == COMMAND_AMF0:
                return amf0_decode(m.body)
            self._backlog.append(m)

    def _call(self, name, *args):
        """Sends a command with a transaction id and returns the values of its _result after the
        transaction id (§7.2.1); an _error raises RtmpError."""
        self._transaction += 1
        self._send_command(name, *args, transaction=self._transaction)
        while True:
            values = self._next_command()
            if values[0] in ("_result", "_error") and len(values) > 1 and values[1] == self._transaction:
                if values[0] == "_error":
                    raise RtmpError(f"{name} {self.url}: {_describe(values)}")
                return values[2:]

    def _create_stream(self):
        result = self._call("createStream", None)
        self.stream_id = int(result[1])

    def _wait_status(self, command, code):
        """Reads until onStatus `code`; an onStatus of level "error" raises RtmpError."""
        while True:
            values = self._next_command()
            if values[0] != "onStatus":
                continue
            info = _information(values)
            if info.get("code") == code:
                return info
            if info.get("level") == "error":
                raise RtmpError(f"{command} {self.url} refused: {_describe(values)}")


def _information(values):
    """The information object of an onStatus or _error command: its first object argument."""
    return next((v for v in values[2:] if isinstance(v, dict)), {})


def _describe(values):
    info = _information(values)
    return f"{info.get('code')}: {info.get('description')}"


class Publisher(_Connection):
    """connect, FCPublish, createStream, publish(name, "live") → NetStream.Publish.Start."""

    def _start(self):
        self._send_command("FCPublish", None, self.name)
        self._create_stream()
        self._send_command("publish", None, self.name, "live")
        self._wait_status("publish", "NetStream.Publish.Start")

    def send_metadata(self, properties):
        """@setDataFrame("onMetaData", ECMA array), as encoders send it."""
        body = amf0_encode("@setDataFrame", "onMetaData", EcmaArray(properties))
        self._send(CSID_DATA, DATA_AMF0, self.stream_id, 0, body)

    def send_video(self, timestamp_ms, body):
        self._send(CSID_VIDEO, VIDEO, self.stream_id, timestamp_ms, body)

    def close(self):
        """FCUnpublish and deleteStream, then the socket: the publish ends."""
        self._send_command("FCUnpublish", None, self.name)
        super().close()


class Player(_Connection):
    """connect, createStream, play(name) → NetStream.Play.Start (waiting as long as the server
    makes a player wait for its publisher, up to `timeout` between two reads)."""

    def __init__(self, url, timeout=20):
        super().__init__(url, timeout)

    def _start(self):
        self._create_stream()
        self._send_command("play", None, self.name)
        self._wait_status("play", "NetStream.Play.Start")

    def read_messages(self, until, timeout=20):
        """Audio, video and data messages, read until until(messages) is true. TimeoutError after
        `timeout` s and ConnectionError when the server closes say what came until then."""
        deadline = time.monotonic() + timeout
        messages = []
        try:
            while not until(messages):
                if not self._backlog:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError(f"no more after {timeout} s")
                    self.sock.settimeout(remaining)
                    self._backlog.append(self._next_message())
                m = self._backlog.popleft()
                if m.type_id in MEDIA_TYPES:
                    messages.append(m)
        except (TimeoutError, ConnectionError) as e:
            kinds = collections.Counter(MEDIA_TYPES[m.type_id] for m in messages)
            raise type(e)(f"{e}; got {len(messages)} message(s) {dict(kinds)}") from None
        finally:
            self.sock.settimeout(self.timeout)
        return messages
