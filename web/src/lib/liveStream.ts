// One camera's live picture in a <video>: WebRTC first (WHEP, through the player page's own
// WhepPlayer), LL-HLS when WebRTC fails (hls.js, loaded on first use; webrtcFallback.ts says
// when). Framework-free: useLiveStream (src/app) drives it from React.
import { StatsSampler } from "@player/stats.js";
import { WhepPlayer } from "@player/whep.js";
import type Hls from "hls.js";
import type { ApiClient } from "../api/client";
import { errorMessage } from "../components/ErrorText";
import { backoffDelay } from "./backoff";
import { HlsSampler, webrtcStats, type LiveStats, type Transport } from "./liveStats";
import { FIRST_FRAME_TIMEOUT_MS, whepGivesUp } from "./webrtcFallback";

export type Phase = "connecting" | "playing" | "retrying";
export type StreamState = { transport: Transport; phase: Phase; message: string };

export type LiveStreamOptions = {
  api: ApiClient;
  /** The session's access token now (WHEP sends it as a header; the HLS URL the API gives carries its own). */
  token: () => string | null;
  onState: (state: StreamState) => void;
  onStats: (stats: LiveStats) => void;
};

const kSampleMs = 1000;
/** HLS frames that stop for this long (hls.js gave up silently) restart the player. */
const kHlsStallMs = 10_000;

export class LiveStream {
  // Bumped by start() and stop(): callbacks of an older run do nothing.
  private generation = 0;
  private whep: WhepPlayer | null = null;
  private hls: Hls | null = null;
  private sampler: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private hlsAttempt = 0;

  constructor(private readonly video: HTMLVideoElement, private readonly camera: string, private readonly options: LiveStreamOptions) {
    // Browsers autoplay only muted media; the live views have no sound.
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
  }

  start() {
    this.stop();
    this.hlsAttempt = 0;
    void this.playWebrtc(this.generation);
  }

  stop() {
    this.generation += 1;
    this.teardown();
  }

  private stale(generation: number) {
    return generation !== this.generation;
  }

  private set(generation: number, state: StreamState) {
    if (!this.stale(generation)) this.options.onState(state);
  }

  private teardown() {
    clearInterval(this.sampler);
    clearTimeout(this.retryTimer);
    this.whep?.stop();
    this.whep = null;
    this.hls?.destroy();
    this.hls = null;
    if (this.video.getAttribute("src")) {
      this.video.removeAttribute("src");
      this.video.load();
    }
  }

  private async playWebrtc(generation: number) {
    this.set(generation, { transport: "webrtc", phase: "connecting", message: "Connecting over WebRTC…" });
    let stream;
    try {
      stream = await this.options.api.get("/cameras/{id}/stream/webrtc", { path: { id: this.camera } });
    } catch (e) {
      return this.fallBack(generation, errorMessage(e));
    }
    if (this.stale(generation)) return;
    const whep = new WhepPlayer({ audio: false, firstFrameTimeoutMs: FIRST_FRAME_TIMEOUT_MS, iceServers: stream.ice_servers });
    const sampler = new StatsSampler();
    let played = false;
    whep.addEventListener("status", ({ detail }) => {
      if (this.stale(generation)) return;
      if (detail.state === "playing") {
        played = true;
        this.set(generation, { transport: "webrtc", phase: "playing", message: "Playing over WebRTC" });
      } else if (whepGivesUp(detail, played)) {
        this.fallBack(generation, detail.message);
      } else if (detail.state === "retrying") {
        this.set(generation, { transport: "webrtc", phase: "retrying", message: detail.message });
      }
    });
    whep.addEventListener("stats", ({ detail }) => {
      if (!this.stale(generation)) this.options.onStats(webrtcStats(sampler.add(detail.report, detail.pc)));
    });
    this.whep = whep;
    whep.play(this.video, stream.whep_url, { token: this.options.token() });
  }

  private fallBack(generation: number, reason: string) {
    if (this.stale(generation)) return;
    this.teardown();
    void this.playHls(generation, `WebRTC failed (${reason}); trying HLS…`);
  }

  private async playHls(generation: number, message: string) {
    this.set(generation, { transport: "hls", phase: "connecting", message });
    try {
      // Asked again on every attempt: the URL carries the current access token when media needs one.
      const stream = await this.options.api.get("/cameras/{id}/stream/hls", { path: { id: this.camera } });
      const { default: HlsJs } = await import("hls.js/light");
      if (this.stale(generation)) return;
      if (HlsJs.isSupported()) {
        const hls = new HlsJs({ lowLatencyMode: true });
        hls.on(HlsJs.Events.ERROR, (_event, data) => {
          if (data.fatal) this.retryHls(generation, `HLS: ${data.details}`);
        });
        hls.loadSource(stream.url);
        hls.attachMedia(this.video);
        this.hls = hls;
      } else if (this.video.canPlayType("application/vnd.apple.mpegurl")) {
        this.video.src = stream.url; // Safari on iOS: no MSE, native HLS
      } else {
        throw new Error("this browser plays neither WebRTC nor HLS");
      }
      this.video.play().catch(() => {}); // autoplay of muted video is allowed; a refusal shows as paused
      this.sampleHls(generation);
    } catch (e) {
      this.retryHls(generation, errorMessage(e));
    }
  }

  // Once a second: statistics, "playing" at the first decoded frame, and a restart on a stall.
  private sampleHls(generation: number) {
    const sampler = new HlsSampler();
    let frames = 0;
    let progressAt = performance.now();
    this.sampler = setInterval(() => {
      if (this.stale(generation)) return;
      const now = performance.now();
      const decoded = this.video.getVideoPlaybackQuality().totalVideoFrames;
      const level = this.hls ? this.hls.levels[this.hls.currentLevel] : undefined;
      this.options.onStats(
        sampler.add({
          atMs: now,
          framesDecoded: decoded,
          width: this.video.videoWidth,
          height: this.video.videoHeight,
          latencySeconds: this.hls?.latency ?? NaN,
          levelBitrate: level?.bitrate ?? 0,
        }),
      );
      if (decoded > frames) {
        if (frames === 0) {
          this.hlsAttempt = 0;
          this.set(generation, { transport: "hls", phase: "playing", message: "Playing over HLS" });
        }
        frames = decoded;
        progressAt = now;
      } else if (now - progressAt > kHlsStallMs) {
        this.retryHls(generation, `no video for ${Math.round(kHlsStallMs / 1000)} s`);
      }
    }, kSampleMs);
  }

  private retryHls(generation: number, reason: string) {
    if (this.stale(generation)) return;
    this.teardown();
    const delay = backoffDelay(this.hlsAttempt++);
    this.set(generation, { transport: "hls", phase: "retrying", message: `${reason}; retrying in ${(delay / 1000).toFixed(1)} s` });
    this.retryTimer = setTimeout(() => {
      if (!this.stale(generation)) void this.playHls(generation, "Connecting over HLS…");
    }, delay);
  }
}
