import { describe, expect, it } from "vitest";
import { mediaTimeOf, wallTimeOf, type Fragment } from "./vod";

// Two files: 0–12 s of media shows 10:00:00–10:00:12, then (after a 48 s gap that takes no media
// time) 12–18 s shows 10:01:00–10:01:06.
const t0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const fragments: Fragment[] = [
  { start: 0, duration: 6, programDateTime: t0 },
  { start: 6, duration: 6, programDateTime: t0 + 6000 },
  { start: 12, duration: 6, programDateTime: t0 + 60_000 },
];

describe("mediaTimeOf", () => {
  it("maps inside a fragment", () => {
    expect(mediaTimeOf(t0 + 7500, fragments)).toBe(7.5);
    expect(mediaTimeOf(t0 + 61_000, fragments)).toBe(13);
  });
  it("skips a gap to what follows, and stops at the end", () => {
    expect(mediaTimeOf(t0 + 30_000, fragments)).toBe(12);
    expect(mediaTimeOf(t0 - 5000, fragments)).toBe(0);
    expect(mediaTimeOf(t0 + 3_600_000, fragments)).toBe(18);
  });
  it("gives up without dates", () => {
    expect(mediaTimeOf(t0, [{ start: 0, duration: 6, programDateTime: null }])).toBeNull();
  });
});

describe("wallTimeOf", () => {
  it("is the inverse inside the fragments", () => {
    expect(wallTimeOf(7.5, fragments)).toBe(t0 + 7500);
    expect(wallTimeOf(13, fragments)).toBe(t0 + 61_000);
  });
  it("holds at the end and knows nothing before the start", () => {
    expect(wallTimeOf(18, fragments)).toBe(t0 + 66_000);
    expect(wallTimeOf(-1, fragments)).toBeNull();
  });
});
