import { describe, expect, it } from "vitest";
import { RETRIES_AFTER_PLAYING, whepGivesUp } from "./webrtcFallback";

describe("whepGivesUp", () => {
  it("keeps waiting while connecting or playing", () => {
    expect(whepGivesUp({ state: "connecting", attempt: 0 }, false)).toBe(false);
    expect(whepGivesUp({ state: "playing", attempt: 0 }, true)).toBe(false);
  });
  it("falls back on the first retry before any frame", () => {
    expect(whepGivesUp({ state: "retrying", attempt: 1 }, false)).toBe(true);
  });
  it("falls back when the server refuses the offer or the credentials", () => {
    expect(whepGivesUp({ state: "error", attempt: 0 }, true)).toBe(true);
    expect(whepGivesUp({ state: "unauthorized", attempt: 0 }, false)).toBe(true);
  });
  it("lets WhepPlayer reconnect a few times once it has played", () => {
    expect(whepGivesUp({ state: "retrying", attempt: RETRIES_AFTER_PLAYING - 1 }, true)).toBe(false);
    expect(whepGivesUp({ state: "retrying", attempt: RETRIES_AFTER_PLAYING }, true)).toBe(true);
  });
});
