import { describe, expect, it } from "vitest";
import { columns, livePrefsOf, moveItem, orderCameras, pageCount, pageItems } from "./liveGrid";

const cam = (id: string, name = id) => ({ id, name });

describe("livePrefsOf", () => {
  it("reads a saved layout and order", () => {
    expect(livePrefsOf({ live: { layout: 9, order: ["b", "a"] } })).toEqual({ layout: 9, order: ["b", "a"] });
  });
  it("falls back to the defaults for nothing saved or a bad value", () => {
    expect(livePrefsOf(undefined)).toEqual({ layout: 4, order: [] });
    expect(livePrefsOf({})).toEqual({ layout: 4, order: [] });
    expect(livePrefsOf({ live: { layout: 5 as 4, order: "a" as unknown as string[] } })).toEqual({ layout: 4, order: [] });
    expect(livePrefsOf({ live: { order: ["a", 3 as unknown as string] } }).order).toEqual(["a"]);
  });
});

describe("orderCameras", () => {
  it("puts the saved order first, then the rest by name", () => {
    const cameras = [cam("x", "Yard"), cam("d", "Door"), cam("g", "Garage"), cam("a", "Attic")];
    expect(orderCameras(cameras, ["g", "gone", "x"]).map((c) => c.id)).toEqual(["g", "x", "a", "d"]);
  });
  it("does not change its input", () => {
    const cameras = [cam("b"), cam("a")];
    orderCameras(cameras, []);
    expect(cameras.map((c) => c.id)).toEqual(["b", "a"]);
  });
});

describe("moveItem", () => {
  it("moves earlier and later", () => {
    expect(moveItem(["a", "b", "c", "d"], 2, 0)).toEqual(["c", "a", "b", "d"]);
    expect(moveItem(["a", "b", "c", "d"], 0, 2)).toEqual(["b", "c", "a", "d"]);
  });
  it("clamps the target and ignores a bad source", () => {
    expect(moveItem(["a", "b"], 1, 5)).toEqual(["a", "b"]);
    expect(moveItem(["a", "b"], 0, -3)).toEqual(["a", "b"]);
    expect(moveItem(["a", "b"], 7, 0)).toEqual(["a", "b"]);
  });
});

describe("pages", () => {
  it("counts pages, at least one", () => {
    expect(pageCount(0, 4)).toBe(1);
    expect(pageCount(4, 4)).toBe(1);
    expect(pageCount(5, 4)).toBe(2);
    expect(pageCount(17, 16)).toBe(2);
  });
  it("slices a page and clamps a page past the end", () => {
    const ids = ["a", "b", "c", "d", "e"];
    expect(pageItems(ids, 4, 1)).toEqual({ items: ["e"], page: 1, first: 4 });
    expect(pageItems(ids, 9, 3)).toEqual({ items: ids, page: 0, first: 0 });
    expect(pageItems(ids, 1, -1)).toEqual({ items: ["a"], page: 0, first: 0 });
  });
  it("has a square number of columns", () => {
    expect([1, 4, 9, 16].map((l) => columns(l as 1))).toEqual([1, 2, 3, 4]);
  });
});
