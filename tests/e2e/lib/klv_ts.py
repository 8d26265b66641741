"""Makes an MPEG-TS file with an H.264 stream and an asynchronous KLV stream (STANAG 4609 style).

Debian's ffmpeg writes KLV into MPEG-TS only when copying an AV_CODEC_ID_SMPTE_KLV stream from
an input that has one; its raw `data` demuxer gives codec "none", so it cannot start from KLV
bytes. This helper therefore takes H.264 from ffmpeg's testsrc and writes the TS itself:
PAT, PMT (H.264 on 0x100, KLV on 0x101 as stream_type 0x06 with a 'KLVA' registration
descriptor, SMPTE RP 217 / MISB ST 1402), PES with PTS, PCR on the video PID.

The MISB ST 0601 encoder here is independent of src/codec/klv (it builds the unit tests'
golden vectors). Usage:

    python3 klv_ts.py out.ts [--frames 10] [--klv-every 5] [--send PORT]

With --send it also plays the file to 127.0.0.1:PORT over UDP in real time (a udp:// camera),
as the e2e tests do with send(); the browser tests use that.
"""

import argparse
import socket
import struct
import subprocess
import time

UAS_KEY = bytes([0x06, 0x0E, 0x2B, 0x34, 0x02, 0x0B, 0x01, 0x01,
                 0x0E, 0x01, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00])

# tag: (bytes, signed, min, max) per ST 0601.
MAPPINGS = {
    5: (2, False, 0, 360), 6: (2, True, -20, 20), 7: (2, True, -50, 50),
    13: (4, True, -90, 90), 14: (4, True, -180, 180), 15: (2, False, -900, 19000),
    16: (2, False, 0, 180), 17: (2, False, 0, 180), 18: (4, False, 0, 360),
    19: (4, True, -180, 180), 20: (4, False, 0, 360), 21: (4, False, 0, 5000000),
    23: (4, True, -90, 90), 24: (4, True, -180, 180), 25: (2, False, -900, 19000),
}


def ber_length(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b


def encode_value(tag, value):
    size, signed, lo, hi = MAPPINGS[tag]
    if signed:
        raw = round(value * (2 ** (8 * size) - 2) / (hi - lo))
        return raw.to_bytes(size, 'big', signed=True)
    raw = round((value - lo) * (2 ** (8 * size) - 1) / (hi - lo))
    return raw.to_bytes(size, 'big')


def misb0601(fields):
    """fields: {tag: value}; 2 is µs since 1970, 3 a string, 65 an int, others engineering units."""
    items = b''
    for tag in sorted(fields, key=lambda t: (t != 2, t)):
        v = fields[tag]
        if tag == 2:
            value = struct.pack('>Q', v)
        elif tag == 3:
            value = v.encode('ascii')
        elif tag == 65:
            value = bytes([v])
        else:
            value = encode_value(tag, v)
        items += bytes([tag]) + ber_length(len(value)) + value
    items += b'\x01\x02'
    packet = UAS_KEY + ber_length(len(items) + 2) + items
    s = 0
    for i, b in enumerate(packet):
        s = (s + (b << 8 if i % 2 == 0 else b)) & 0xFFFF
    return packet + struct.pack('>H', s)


def crc32_mpeg(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def section(table_id, ext, body):
    head = bytes([table_id]) + struct.pack('>H', 0xB000 | (len(body) + 9)) + struct.pack('>H', ext) + b'\xc1\x00\x00'
    s = head + body
    return s + struct.pack('>I', crc32_mpeg(s))


class Writer:
    def __init__(self):
        self.out = bytearray()
        self.cc = {}

    def packets(self, pid, payload, pcr=None, rai=False):
        first = True
        while first or payload:
            af = b''
            if first and (pcr is not None or rai):
                flags = (0x40 if rai else 0) | (0x10 if pcr is not None else 0)
                af = bytes([flags])
                if pcr is not None:
                    base = pcr & ((1 << 33) - 1)
                    af += struct.pack('>I', base >> 1) + bytes([((base & 1) << 7) | 0x7E, 0])
            room = 184 - (len(af) + 1 if af else 0)
            if len(payload) < room:
                pad = room - len(payload)
                if not af:
                    af = b'' if pad == 1 else b'\x00' + b'\xff' * (pad - 2)
                    if pad == 1:
                        af_bytes = b'\x00'
                    else:
                        af_bytes = bytes([len(af)]) + af
                else:
                    af += b'\xff' * pad
                    af_bytes = bytes([len(af)]) + af
            else:
                af_bytes = bytes([len(af)]) + af if af else b''
            take = 184 - len(af_bytes)
            cc = self.cc.get(pid, 0)
            self.cc[pid] = (cc + 1) & 15
            control = 0x30 if af_bytes else 0x10
            self.out += bytes([0x47, (0x40 if first else 0) | (pid >> 8), pid & 0xFF, control | cc])
            self.out += af_bytes + payload[:take]
            payload = payload[take:]
            first = False

    def psi(self):
        pat = section(0x00, 1, struct.pack('>HH', 1, 0xE000 | 0x1000))
        klva = b'\x05\x04KLVA'
        body = struct.pack('>HH', 0xE000 | 0x100, 0xF000)
        body += bytes([0x1B]) + struct.pack('>HH', 0xE000 | 0x100, 0xF000)
        body += bytes([0x06]) + struct.pack('>HH', 0xE000 | 0x101, 0xF000 | len(klva)) + klva
        pmt = section(0x02, 1, body)
        for pid, sec in ((0, pat), (0x1000, pmt)):
            self.packets(pid, b'\x00' + sec)


def timestamp(prefix, ts):
    return bytes([(prefix << 4) | ((ts >> 29) & 0x0E) | 1, (ts >> 22) & 0xFF, ((ts >> 14) & 0xFE) | 1,
                  (ts >> 7) & 0xFF, ((ts << 1) & 0xFE) | 1])


def pes(stream_id, payload, pts):
    header = b'\x84\x80\x05' + timestamp(2, pts)
    length = len(header) + len(payload)
    return b'\x00\x00\x01' + bytes([stream_id]) + struct.pack('>H', length if length <= 0xFFFF else 0) + header + payload


def h264_access_units(frames):
    raw = subprocess.run(
        ['ffmpeg', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10',
         '-frames:v', str(frames), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-profile:v', 'baseline', '-g', '10',
         '-x264-params', 'aud=1', '-f', 'h264', '-'], check=True, capture_output=True).stdout
    aud = b'\x00\x00\x00\x01\x09'
    parts = raw.split(aud)
    return [aud + p for p in parts if p]


# The values of tests/data/mpegts/klv_sample.ts (see its README.md).
SAMPLE_FIELDS = [
    {2: 1700000000000000, 3: 'OCELLUS', 5: 90.0, 6: -5.0, 7: 10.0, 13: 48.8566, 14: 2.3522,
     15: 1500.0, 16: 30.0, 17: 20.0, 18: 45.0, 19: -30.0, 20: 0.0, 21: 2500.0, 23: 48.85,
     24: 2.35, 25: 35.0, 65: 19},
    {2: 1700000000500000, 3: 'OCELLUS', 5: 91.5, 13: 48.8567, 14: 2.3523, 15: 1501.0, 65: 19},
]


def make(path, frames=10, klv_every=5):
    w = Writer()
    units = h264_access_units(frames)
    klv_index = 0
    for i, au in enumerate(units):
        pts = 90000 + 9000 * i
        key = b'\x00\x00\x01\x65' in au or b'\x00\x00\x00\x01\x65' in au
        if i % 10 == 0:
            w.psi()
        w.packets(0x100, pes(0xE0, au, pts), pcr=pts - 9000, rai=key)
        if i % klv_every == 0:
            fields = SAMPLE_FIELDS[klv_index % len(SAMPLE_FIELDS)]
            w.packets(0x101, pes(0xBD, misb0601(fields), pts))
            klv_index += 1
    with open(path, 'wb') as f:
        f.write(w.out)
    return path


def send(path, port, seconds, stop=None, garbage_every=0):
    """Sends an MPEG-TS file to 127.0.0.1:port in 1316-byte datagrams, paced to last `seconds`
    (the file's media time), until it ends or the threading.Event `stop` is set; every
    garbage_every datagrams one of junk goes too."""
    data = path.read_bytes()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    chunk = 7 * 188
    start = time.monotonic()
    seconds_per_byte = seconds / len(data)
    for i, offset in enumerate(range(0, len(data), chunk)):
        if stop is not None and stop.is_set():
            break
        sock.sendto(data[offset:offset + chunk], ('127.0.0.1', port))
        if garbage_every and i % garbage_every == 0:
            sock.sendto(b'\x47' + bytes(range(256)) * 4, ('127.0.0.1', port))
        due = start + offset * seconds_per_byte
        if due > time.monotonic():
            time.sleep(due - time.monotonic())
    sock.close()


if __name__ == '__main__':
    import pathlib

    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--frames', type=int, default=10)
    ap.add_argument('--klv-every', type=int, default=5)
    ap.add_argument('--send', type=int, metavar='PORT', help='then play it to 127.0.0.1:PORT at 10 fps')
    a = ap.parse_args()
    make(a.out, a.frames, a.klv_every)
    if a.send:
        send(pathlib.Path(a.out), a.send, a.frames / 10)
