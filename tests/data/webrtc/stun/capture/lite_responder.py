# Answers STUN Binding requests on 127.0.0.1:PORT as an ICE-lite agent would, and saves each
# request it receives (req_N.bin) so that a real browser's checks can be kept as golden data.
import hashlib, hmac, socket, struct, sys, time, zlib
PORT = int(sys.argv[1]); PWD = sys.argv[2].encode(); SECONDS = float(sys.argv[3])
COOKIE = 0x2112A442
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", PORT)); s.settimeout(0.2)
def attr(t, v): return struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)
n = 0; end = time.time() + SECONDS
while time.time() < end:
    try: data, peer = s.recvfrom(2048)
    except socket.timeout: continue
    if len(data) < 20 or data[0] > 3: continue
    open(f"req_{n}.bin", "wb").write(data); n += 1
    tid = data[8:20]
    ip = socket.inet_aton(peer[0]); port = peer[1]
    xaddr = struct.pack("!BBH", 0, 1, port ^ (COOKIE >> 16)) + bytes(a ^ b for a, b in zip(ip, struct.pack("!I", COOKIE)))
    body = attr(0x0020, xaddr)
    hdr = lambda extra: struct.pack("!HHI", 0x0101, len(body) + extra, COOKIE) + tid
    mi = hmac.new(PWD, hdr(24) + body, hashlib.sha1).digest()
    body += attr(0x0008, mi)
    crc = (zlib.crc32(hdr(8) + body) ^ 0x5354554E) & 0xFFFFFFFF
    body += attr(0x8028, struct.pack("!I", crc))
    s.sendto(hdr(0) + body, peer)
print("requests", n)
