import { describe, expect, it } from "vitest";
import { fileStamp, formatBytes, formatClock, formatDay, formatDuration, formatElapsed, formatPercent, formatTime } from "./format";

// Local times: built from local fields so the tests pass in any time zone.
const at = (h: number, m: number, s: number) => new Date(2026, 0, 5, h, m, s).getTime();

describe("clock and day", () => {
  it("pads to 24-hour local time", () => {
    expect(formatClock(at(9, 5, 7))).toBe("09:05:07");
    expect(formatClock(at(23, 59, 0), false)).toBe("23:59");
  });
  it("names the local day and a file-safe stamp", () => {
    expect(formatDay(at(0, 0, 0))).toBe("2026-01-05");
    expect(fileStamp(at(14, 3, 9))).toBe("2026-01-05_14-03-09");
  });
});

describe("formatDuration", () => {
  it("keeps a decimal under ten seconds", () => {
    expect(formatDuration(0.84)).toBe("0.8 s");
    expect(formatDuration(4)).toBe("4 s");
  });
  it("switches units at the minute, the hour and the day", () => {
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(245)).toBe("4 min 05 s");
    expect(formatDuration(7380)).toBe("2 h 03 min");
    expect(formatDuration(93784)).toBe("1 d 02 h");
  });
  it("shows a dash for nonsense", () => {
    expect(formatDuration(-1)).toBe("–");
    expect(formatDuration(Number.NaN)).toBe("–");
  });
});

describe("formatElapsed", () => {
  it("counts minutes and seconds, then hours", () => {
    expect(formatElapsed(4_900)).toBe("00:04");
    expect(formatElapsed(754_000)).toBe("12:34");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatElapsed(-5)).toBe("00:00");
  });
});

describe("formatBytes", () => {
  it("keeps whole bytes", () => expect(formatBytes(512)).toBe("512 B"));
  it("uses binary units", () => {
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1024 ** 3)).toBe("1 GiB");
    expect(formatBytes(500107862016)).toBe("466 GiB");
    expect(formatBytes(12.34 * 1024 ** 2)).toBe("12.3 MiB");
  });
  it("says nothing sure about nonsense", () => {
    expect(formatBytes(-1)).toBe("–");
    expect(formatBytes(Number.NaN)).toBe("–");
  });
});

describe("formatTime and formatPercent", () => {
  it("says never for null", () => expect(formatTime(null)).toBe("never"));
  it("passes unparsable text through", () => expect(formatTime("soon")).toBe("soon"));
  it("formats fractions", () => expect(formatPercent(0.0123)).toBe("1.2 %"));
});
