import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatPercent, formatTime } from "./format";

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

describe("formatDuration", () => {
  it("shows the two largest units", () => {
    expect(formatDuration(93784)).toBe("1 d 2 h");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(3600)).toBe("1 h");
  });
  it("starts at seconds", () => {
    expect(formatDuration(0.4)).toBe("0 s");
    expect(formatDuration(59.9)).toBe("59 s");
  });
});

describe("formatTime and formatPercent", () => {
  it("says never for null", () => expect(formatTime(null)).toBe("never"));
  it("passes unparsable text through", () => expect(formatTime("soon")).toBe("soon"));
  it("formats fractions", () => expect(formatPercent(0.0123)).toBe("1.2 %"));
});
