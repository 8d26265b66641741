// Types of the player page's modules (src/api/web/player/*.js), which the dashboard imports
// through the `@player` alias of vite.config.ts rather than keeping a copy. Only what the
// dashboard uses is declared; the modules' header comments are the reference.

declare module "@player/whep.js" {
  export type WhepState = "idle" | "connecting" | "playing" | "retrying" | "unauthorized" | "error" | "stopped";

  /** The `status` event's detail. `status`/`code`: the HTTP answer of a failed request (0 / NETWORK when none). */
  export type WhepStatus = {
    state: WhepState;
    message: string;
    attempt: number;
    delayMs?: number;
    status?: number;
    code?: string;
    reason?: string;
  };

  export type WhepOptions = {
    audio?: boolean;
    iceServers?: RTCIceServer[];
    retryInitialMs?: number;
    retryMaxMs?: number;
    stallTimeoutMs?: number;
    firstFrameTimeoutMs?: number;
    disconnectedGraceMs?: number;
    requestTimeoutMs?: number;
    statsIntervalMs?: number;
  };

  export class WhepPlayer extends EventTarget {
    constructor(options?: WhepOptions);
    readonly state: WhepState;
    readonly pc: RTCPeerConnection | null;
    play(video: HTMLVideoElement, whepUrl: string, options?: { token?: string | null }): void;
    stop(): void;
    addEventListener(type: "status", listener: (event: CustomEvent<WhepStatus>) => void): void;
    addEventListener(type: "stats", listener: (event: CustomEvent<{ report: RTCStatsReport; pc: RTCPeerConnection }>) => void): void;
    addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  }
}

declare module "@player/stats.js" {
  /** One getStats() report digested; numbers the report lacks are null. */
  export type StatsDigest = {
    timestamp: number;
    state: RTCPeerConnectionState | null;
    codec: string | null;
    width: number | null;
    height: number | null;
    resolution: string | null;
    fps: number | null;
    bitrateKbps: number | null;
    rttMs: number | null;
    jitterMs: number | null;
    packetsReceived: number;
    packetsLost: number;
    framesDecoded: number | null;
    bytesReceived: number;
  };

  /** Digests successive reports of one RTCPeerConnection (rates are deltas between them). */
  export class StatsSampler {
    latest: StatsDigest | null;
    add(report: RTCStatsReport, pc: RTCPeerConnection): StatsDigest;
  }
}
