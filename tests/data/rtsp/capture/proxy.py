# Logging TCP proxy: listen_port -> target_port, writes <out>.c2s.bin and <out>.s2c.bin.
# Usage: ffmpeg -rtsp_flags listen -i rtsp://127.0.0.1:18560/live -f null - &
#        python3 proxy.py 18561 18560 publish &
#        ffmpeg -re -f lavfi -i testsrc2=size=160x120:rate=10 -t 0.5 -c:v libx264 -g 5 \
#               -f rtsp -rtsp_transport tcp rtsp://127.0.0.1:18561/live
import socket, sys, threading
lp, tp, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", lp)); srv.listen(1)
c, _ = srv.accept(); s = socket.create_connection(("127.0.0.1", tp))
def pump(a, b, f):
    with open(f, "wb") as log:
        while True:
            try: d = a.recv(65536)
            except OSError: break
            if not d: break
            log.write(d); log.flush()
            try: b.sendall(d)
            except OSError: break
    for x in (a, b):
        try: x.shutdown(socket.SHUT_RDWR)
        except OSError: pass
t = threading.Thread(target=pump, args=(s, c, out + ".s2c.bin")); t.start()
pump(c, s, out + ".c2s.bin"); t.join()
