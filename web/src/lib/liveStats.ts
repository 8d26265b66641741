// What the live view's statistics panel shows, the same four figures for both transports:
// resolution, frame rate, bit rate and latency. WebRTC's come from the player page's stats
// digest (stats.js); HLS's from the <video> and hls.js, sampled once a second.
import type { StatsDigest } from "@player/stats.js";

export type Transport = "webrtc" | "hls" | "none";

export type LiveStats = {
  transport: Transport;
  resolution: string | null;
  fps: number | null;
  bitrateKbps: number | null;
  /** WebRTC: the network round trip; HLS: how far behind the live edge playback is. */
  latencyMs: number | null;
};

export function webrtcStats(digest: StatsDigest): LiveStats {
  return { transport: "webrtc", resolution: digest.resolution, fps: digest.fps, bitrateKbps: digest.bitrateKbps, latencyMs: digest.rttMs };
}

/** One reading of an HLS playback: the video's decoded frames and size, hls.js's latency and level. */
export type HlsSample = {
  atMs: number;
  framesDecoded: number;
  width: number;
  height: number;
  /** hls.latency, seconds (0 or NaN until known). */
  latencySeconds: number;
  /** The playing level's bitrate, bit/s (0 when unknown). */
  levelBitrate: number;
};

/** Digests successive HLS samples: the frame rate is the delta between two of them. */
export class HlsSampler {
  private previous: HlsSample | null = null;

  add(sample: HlsSample): LiveStats {
    const before = this.previous;
    this.previous = sample;
    const seconds = before ? (sample.atMs - before.atMs) / 1000 : 0;
    const fps = before && seconds > 0 && sample.framesDecoded >= before.framesDecoded ? (sample.framesDecoded - before.framesDecoded) / seconds : null;
    return {
      transport: "hls",
      resolution: sample.width && sample.height ? `${sample.width}x${sample.height}` : null,
      fps,
      bitrateKbps: sample.levelBitrate > 0 ? sample.levelBitrate / 1000 : null,
      latencyMs: Number.isFinite(sample.latencySeconds) && sample.latencySeconds > 0 ? sample.latencySeconds * 1000 : null,
    };
  }
}

const dash = "–";

function latencyText(s: LiveStats): string {
  if (s.latencyMs === null) return dash;
  if (s.transport === "hls") return `${(s.latencyMs / 1000).toFixed(1)} s behind live`;
  return `${s.latencyMs < 10 ? s.latencyMs.toFixed(1) : Math.round(s.latencyMs)} ms round trip`;
}

export const TRANSPORT_LABEL: Record<Transport, string> = { webrtc: "WebRTC", hls: "HLS", none: dash };

/** The panel's rows: [label, value], a dash for what is not known yet. */
export function statsRows(s: LiveStats | null): Array<[string, string]> {
  if (!s) return [];
  const number = (v: number | null, unit: string, digits = 0) => (v === null || !Number.isFinite(v) ? dash : `${v.toFixed(digits)} ${unit}`);
  return [
    ["Transport", TRANSPORT_LABEL[s.transport]],
    ["Resolution", s.resolution ?? dash],
    ["Frame rate", number(s.fps, "fps")],
    ["Bitrate", number(s.bitrateKbps, "kbit/s")],
    ["Latency", latencyText(s)],
  ];
}
