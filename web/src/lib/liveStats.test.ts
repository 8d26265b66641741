import { describe, expect, it } from "vitest";
import type { StatsDigest } from "@player/stats.js";
import { HlsSampler, statsRows, webrtcStats } from "./liveStats";

const sample = { atMs: 0, framesDecoded: 0, width: 640, height: 360, latencySeconds: 0, levelBitrate: 0 };

describe("HlsSampler", () => {
  it("has no frame rate from one sample", () => {
    const s = new HlsSampler().add(sample);
    expect(s).toEqual({ transport: "hls", resolution: "640x360", fps: null, bitrateKbps: null, latencyMs: null });
  });
  it("takes the frame rate from two samples, the bitrate from the level, the latency from hls.js", () => {
    const sampler = new HlsSampler();
    sampler.add({ ...sample, atMs: 1000, framesDecoded: 10 });
    const s = sampler.add({ ...sample, atMs: 3000, framesDecoded: 70, latencySeconds: 1.25, levelBitrate: 800_000 });
    expect(s.fps).toBe(30);
    expect(s.bitrateKbps).toBe(800);
    expect(s.latencyMs).toBe(1250);
  });
  it("ignores a counter that went back (a new media element) and an unknown size", () => {
    const sampler = new HlsSampler();
    sampler.add({ ...sample, atMs: 1000, framesDecoded: 100 });
    const s = sampler.add({ ...sample, atMs: 2000, framesDecoded: 5, width: 0, latencySeconds: NaN });
    expect(s.fps).toBeNull();
    expect(s.resolution).toBeNull();
    expect(s.latencyMs).toBeNull();
  });
});

describe("statsRows", () => {
  it("formats WebRTC figures, with the round trip as latency", () => {
    const digest = { resolution: "1280x720", fps: 29.97, bitrateKbps: 812.4, rttMs: 0.42 } as StatsDigest;
    expect(statsRows(webrtcStats(digest))).toEqual([
      ["Transport", "WebRTC"],
      ["Resolution", "1280x720"],
      ["Frame rate", "30 fps"],
      ["Bitrate", "812 kbit/s"],
      ["Latency", "0.4 ms round trip"],
    ]);
  });
  it("says how far behind live HLS plays, and dashes what is unknown", () => {
    const rows = statsRows({ transport: "hls", resolution: null, fps: null, bitrateKbps: null, latencyMs: 2140 });
    expect(rows).toContainEqual(["Latency", "2.1 s behind live"]);
    expect(rows).toContainEqual(["Frame rate", "–"]);
    expect(statsRows(null)).toEqual([]);
  });
});
