"""nginx with Debian's libnginx-mod-rtmp as the RTMP (and plain HLS) peer: a generated nginx.conf in a
temp dir, run in the foreground as one process.

    from peers.nginx_rtmp import NginxRtmp
    peer = NginxRtmp(work, app="bench", hls=True)   # peer.rtmp_url("s"), peer.hls_url("s"), peer.server.pid
    ...
    peer.stop()

`daemon off; master_process off;` keeps nginx in the one process the driver started, so /proc/PID
is the process that does the work (nginx-rtmp wants a single worker anyway: with several, a player
lands on a worker that may not hold the publisher unless rtmp_auto_push is on). With hls=True the
application also writes MPEG-TS segments of `hls_fragment` (1 s) to TMP/hls and an http server on
another port serves them (`/hls/{stream}.m3u8`), no caching, CORS open for a page on another origin.
"""
import os
import shutil
import tempfile

from benchlib import Proc, free_port, wait_port

MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"


class NginxRtmp:
    name = "nginx-rtmp"

    def __init__(self, work, app="bench", hls=False, fragment="1s", playlist_length="6s"):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(nginx, os.X_OK) or not os.path.exists(MODULE):
            raise RuntimeError("needs nginx and libnginx-mod-rtmp (scripts/deps.sh)")
        self.tmp = tempfile.mkdtemp(prefix="nginx-rtmp-", dir=work)
        self.app = app
        self.rtmp_port, self.http_port = free_port(), free_port()
        hls_dir = os.path.join(self.tmp, "hls")
        app_hls = (f" hls on; hls_path {hls_dir}; hls_fragment {fragment}; hls_playlist_length {playlist_length};"
                   if hls else "")
        http = ("http { access_log off; "
                f"server {{ listen 127.0.0.1:{self.http_port}; "
                f"location /hls/ {{ alias {hls_dir}/; "
                "types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; } "
                "add_header Cache-Control no-cache; add_header Access-Control-Allow-Origin *; } } }\n") if hls else ""
        conf = os.path.join(self.tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"load_module {MODULE};\n"
                    "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                    f"error_log {self.tmp}/error.log warn;\npid {self.tmp}/nginx.pid;\n"
                    "worker_rlimit_nofile 65536;\n"
                    "events { worker_connections 60000; }\n" + http +
                    f"rtmp {{ server {{ listen 127.0.0.1:{self.rtmp_port}; "
                    f"application {app} {{ live on;{app_hls} }} }} }}\n")
        self.server = Proc([nginx, "-c", conf, "-p", self.tmp], os.path.join(self.tmp, "server.log"), cwd=self.tmp)
        try:
            wait_port(self.rtmp_port, self.server)
        except RuntimeError:
            self.stop()
            raise

    def rtmp_url(self, stream):
        return f"rtmp://127.0.0.1:{self.rtmp_port}/{self.app}/{stream}"

    def hls_url(self, stream):
        return f"http://127.0.0.1:{self.http_port}/hls/{stream}.m3u8"

    def log_problems(self):
        """Lines of nginx's error log at warn and above (its only log here)."""
        try:
            with open(os.path.join(self.tmp, "error.log"), errors="replace") as f:
                lines = [line.strip() for line in f if line.strip()]
        except OSError:
            return 0, []
        return len(lines), lines[:3]

    def stop(self):
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
