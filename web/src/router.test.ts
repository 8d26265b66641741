import { describe, expect, it } from "vitest";
import { matchRoute, parseHash } from "./router";

describe("parseHash", () => {
  it("defaults to /", () => expect(parseHash("").path).toBe("/"));
  it("splits the query", () => {
    const r = parseHash("#/recordings?camera=demo&day=2026-12-06");
    expect(r.path).toBe("/recordings");
    expect(r.query.get("camera")).toBe("demo");
  });
});

describe("matchRoute", () => {
  it("binds parameters", () => expect(matchRoute("/live/:camera", "/live/front%20door")).toEqual({ camera: "front door" }));
  it("refuses other shapes", () => {
    expect(matchRoute("/live/:camera", "/live")).toBeNull();
    expect(matchRoute("/admin/users", "/admin/tokens")).toBeNull();
  });
});
