import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("doubles from the base to the cap", () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 500, 10_000, none))).toEqual([500, 1000, 2000, 4000, 10_000]);
  });
  it("subtracts at most a quarter as jitter", () => {
    expect(backoffDelay(2, 500, 10_000, () => 1)).toBe(1500);
    expect(backoffDelay(99, 500, 10_000, () => 0.5)).toBe(8750);
  });
});
