import { describe, expect, it } from "vitest";
import { followView, fractionOf, kHour, kMinute, keyTarget, parseDay, placeRange, playbackRange, selectRange, shiftDay, snapToRecorded, ticks, timeAt, zoomView } from "./timeline";

const day = parseDay("2026-01-05")!;
const at = (h: number, m = 0) => new Date(2026, 0, 5, h, m).getTime();

describe("days", () => {
  it("parses a real local day and refuses the rest", () => {
    expect(day).toEqual({ from: at(0), to: new Date(2026, 0, 6).getTime() });
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("yesterday")).toBeNull();
    expect(parseDay(null)).toBeNull();
  });
  it("steps by calendar days", () => {
    expect(shiftDay(day, 1)).toEqual(parseDay("2026-01-06"));
    expect(shiftDay(day, -5)).toEqual(parseDay("2025-12-31"));
  });
});

describe("geometry", () => {
  it("maps time to a fraction of the window and back", () => {
    expect(fractionOf(at(6), day)).toBeCloseTo(0.25);
    expect(timeAt(0.5, day)).toBe(at(12));
    expect(timeAt(1.7, day)).toBe(day.to);
  });
  it("places a range as percentages, clipped to the window", () => {
    const place = placeRange({ from: at(6), to: at(12) }, day)!;
    expect(place.left).toBeCloseTo(25);
    expect(place.width).toBeCloseTo(25);
    const clipped = placeRange({ from: at(23), to: at(23) + 2 * kHour }, day)!;
    expect(clipped.left + clipped.width).toBeCloseTo(100);
    expect(placeRange({ from: day.to, to: day.to + kHour }, day)).toBeNull();
  });
  it("labels round instants, fewer as the window widens", () => {
    expect(ticks(day, 8, day.from).at.map((t) => (t - day.from) / kHour)).toEqual([0, 6, 12, 18, 24]);
    const hour = { from: at(10, 7), to: at(11, 7) };
    expect(ticks(hour, 5, day.from)).toEqual({ step: 15 * kMinute, at: [at(10, 15), at(10, 30), at(10, 45), at(11)] });
    const minute = { from: at(10, 7), to: at(10, 8) };
    expect(ticks(minute, 5, day.from)).toEqual({ step: 30_000, at: [at(10, 7), at(10, 7) + 30_000, at(10, 8)] });
  });
});

describe("zoomView", () => {
  it("zooms around a centre that keeps its place", () => {
    const v = zoomView(day, 0.25, at(12), day);
    expect(v).toEqual({ from: at(9), to: at(15) });
    const w = zoomView(v, 0.5, at(10), day);
    expect(fractionOf(at(10), w)).toBeCloseTo(fractionOf(at(10), v));
  });
  it("stays inside the day and above a minute", () => {
    expect(zoomView({ from: at(1), to: at(2) }, 4, at(1, 30), day)).toEqual({ from: day.from, to: at(4) });
    expect(zoomView({ from: at(9), to: at(15) }, 8, at(12), day)).toEqual(day);
    const tiny = zoomView({ from: at(9), to: at(9, 2) }, 0.01, at(9, 1), day);
    expect(tiny.to - tiny.from).toBe(kMinute);
  });
});

describe("followView", () => {
  it("pans a zoomed window to the playhead, keeping its width", () => {
    const hour = { from: at(10), to: at(11) };
    expect(followView(hour, at(10, 30), day)).toBe(hour);
    expect(followView(hour, at(11, 6), day)).toEqual({ from: at(11), to: at(12) });
    expect(followView(hour, at(23, 59), day)).toEqual({ from: at(23), to: day.to });
  });
});

describe("selection and playback", () => {
  it("orders a drag and clamps it to the day", () => {
    expect(selectRange(at(11), at(10), day)).toEqual({ from: at(10), to: at(11) });
    expect(selectRange(day.from - kHour, at(1), day)).toEqual({ from: day.from, to: at(1) });
    expect(selectRange(at(10), at(10) + 400, day)).toBeNull();
  });
  it("snaps a click to the nearest recording within the tolerance", () => {
    const recorded = [{ from: at(10), to: at(10, 5) }, { from: at(12), to: at(12) + 4000 }];
    expect(snapToRecorded(at(10, 2), recorded, kMinute)).toBe(at(10, 2));
    expect(snapToRecorded(at(11, 59), recorded, 2 * kMinute)).toBe(at(12));
    expect(snapToRecorded(at(10, 6), recorded, 2 * kMinute)).toBe(at(10, 3));
    expect(snapToRecorded(at(12, 1), recorded, 2 * kMinute)).toBe(at(12));
    expect(snapToRecorded(at(11), recorded, 2 * kMinute)).toBeNull();
  });
  it("moves the playhead by a share of the window", () => {
    expect(keyTarget("ArrowRight", at(12), day)).toBe(at(12) + (24 * kHour) / 100);
    expect(keyTarget("PageDown", at(12), day)).toBe(at(12) - (24 * kHour) / 10);
    expect(keyTarget("ArrowLeft", day.from, day)).toBe(day.from);
    expect(keyTarget("End", at(12), day)).toBe(day.to);
    expect(keyTarget("a", at(12), day)).toBeNull();
  });
  it("loads up to an hour, never past now or the day", () => {
    expect(playbackRange(at(10), day, at(20))).toEqual({ from: at(10), to: at(11) });
    expect(playbackRange(at(10), day, at(10, 20))).toEqual({ from: at(10), to: at(10, 20) });
    expect(playbackRange(at(23, 30), day, day.to + kHour)).toEqual({ from: at(23, 30), to: day.to });
  });
});
