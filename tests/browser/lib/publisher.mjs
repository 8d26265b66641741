// An ffmpeg test source published to ocellus over RTSP (ANNOUNCE/RECORD), for streams the demo
// camera does not cover (audio) or that appear after a viewer opened the page.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withParentDeathSignal } from './server.mjs';

export class Publisher {
  /**
   * Publishes rtsp://127.0.0.1:{rtspPort}/{stream}: 320x180 H.264 Constrained Baseline (or video
   * 'vp8', 'vp9'), optional Opus.
   */
  static start(server, stream, { audio = false, fps = 15, video = 'h264' } = {}) {
    const p = new Publisher();
    p.logPath = path.join(server.dir, `ffmpeg-${stream.replace(/\W/g, '_')}.log`);
    const args = ['-hide_banner', '-nostats', '-loglevel', 'error', '-re',
                  '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${fps}`];
    if (audio) args.push('-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
    if (video === 'h264') {
      args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
                '-pix_fmt', 'yuv420p', '-g', String(fps), '-bf', '0');
    } else {
      // FFmpeg 5.1 packetizes VP9 over RTP only with -strict experimental.
      args.push('-c:v', video === 'vp8' ? 'libvpx' : 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8',
                '-b:v', '300k', '-pix_fmt', 'yuv420p', '-g', String(fps), '-strict', 'experimental');
    }
    if (audio) args.push('-c:a', 'libopus', '-b:a', '32k', '-ac', '2');
    args.push('-f', 'rtsp', '-rtsp_transport', 'tcp', `rtsp://127.0.0.1:${server.rtspPort}/${stream}`);
    const log = fs.openSync(p.logPath, 'a');
    p.proc = spawn(...withParentDeathSignal(['ffmpeg', ...args]), { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    p.exited = new Promise((resolve) => p.proc.once('exit', resolve));
    return p;
  }

  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
