# Tiny scripted RTSP server: records what a real client sends (client.bin) and answers
# just enough to walk it through OPTIONS, DESCRIBE (401 Digest first), SETUP, PLAY, TEARDOWN.
# Usage: python3 fake_server.py PORT OUT_PREFIX SDP_FILE [qop]
#   then: ffmpeg -rtsp_transport tcp -i rtsp://user:pass@127.0.0.1:PORT/cam -t 1 -f null -
import socket, sys, hmac, hashlib, struct
port = int(sys.argv[1]); out = sys.argv[2]; ts = 1700000000
secret = b"test-secret"; realm = "ocellus"
tsb = struct.pack(">Q", ts)
nonce = tsb.hex() + hmac.new(secret, tsb, hashlib.sha256).digest()[:16].hex()
qop = ", qop=\"auth\"" if len(sys.argv) > 4 and sys.argv[4] == "qop" else ""
sdp = open(sys.argv[3], "rb").read()
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(1)
c, _ = srv.accept(); c.settimeout(5)
log = open(out + ".client.bin", "wb"); sent = open(out + ".server.bin", "wb")
buf = b""; authed = False
def send(b): sent.write(b); c.sendall(b)
while True:
    try: d = c.recv(65536)
    except socket.timeout: break
    if not d: break
    log.write(d); buf += d
    while b"\r\n\r\n" in buf:
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n"); method = lines[0].split(" ")[0]
        hdr = {l.split(":",1)[0].lower(): l.split(":",1)[1].strip() for l in lines[1:]}
        cseq = hdr.get("cseq", "0")
        if method == "OPTIONS":
            send(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER\r\n\r\n".encode())
        elif method == "DESCRIBE" and "authorization" not in hdr:
            send((f"RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\n"
                  f"WWW-Authenticate: Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm=SHA-256, qop=\"auth\"\r\n"
                  f"WWW-Authenticate: Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm=MD5{qop}\r\n"
                  f"WWW-Authenticate: Basic realm=\"{realm}\"\r\n\r\n").encode())
        elif method == "DESCRIBE":
            send(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nContent-Base: rtsp://127.0.0.1:{port}/cam/\r\nContent-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n".encode() + sdp)
        elif method == "SETUP":
            tr = hdr.get("transport", "")
            send(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nTransport: {tr};ssrc=1234ABCD\r\nSession: 12345678;timeout=60\r\n\r\n".encode())
        elif method == "PLAY":
            send(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nSession: 12345678\r\nRange: npt=0.000-\r\nRTP-Info: url=rtsp://127.0.0.1:{port}/cam/trackID=1;seq=100;rtptime=9000\r\n\r\n".encode())
        else:
            send(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nSession: 12345678\r\n\r\n".encode())
            if method == "TEARDOWN": break
c.close()
