import { describe, expect, it } from "vitest";
import { alertFromNotification, filterFromQuery, filterToQuery, matchesFilter, toastKindOf, toastText, withAlert, type Alert } from "./alerts";

const note = { id: 42, type: "camera_offline", severity: "warning", message: "camera0 went offline", camera: "camera0", timestamp: "2026-01-15T10:31:07.000Z" };

describe("filters", () => {
  it("reads known values from the query and drops the rest", () => {
    expect(filterFromQuery(new URLSearchParams("severity=critical&type=bogus&camera=gate"))).toEqual({ severity: "critical", camera: "gate" });
  });
  it("round-trips", () => {
    const f = { severity: "info" as const, type: "storage_full" as const, camera: "a b" };
    expect(filterFromQuery(new URLSearchParams(filterToQuery(f).slice(1)))).toEqual(f);
    expect(filterToQuery({})).toBe("");
  });
  it("matches a notification against the filter", () => {
    const a = alertFromNotification(note)!;
    expect(matchesFilter(a, {})).toBe(true);
    expect(matchesFilter(a, { camera: "camera0", type: "camera_offline" })).toBe(true);
    expect(matchesFilter(a, { severity: "critical" })).toBe(false);
    expect(matchesFilter(a, { camera: "other" })).toBe(false);
  });
});

describe("notifications", () => {
  it("become unacknowledged list items", () => {
    expect(alertFromNotification(note)).toEqual({ ...note, acknowledged: false, acknowledged_at: null, acknowledged_by: null });
    expect(alertFromNotification({ ...note, camera: "" })?.camera).toBeNull();
  });
  it("are refused when malformed", () => {
    expect(alertFromNotification({ ...note, id: "42" })).toBeNull();
    expect(alertFromNotification({ ...note, severity: "fatal" })).toBeNull();
  });
  it("go first, once", () => {
    const a = alertFromNotification(note)!;
    const older: Alert = { ...a, id: 41 };
    expect(withAlert([older], a).map((x) => x.id)).toEqual([42, 41]);
    expect(withAlert([a, older], { ...a, acknowledged: true }).map((x) => [x.id, x.acknowledged])).toEqual([
      [42, true],
      [41, false],
    ]);
  });
});

describe("toasts", () => {
  it("say what happened, as loud as the severity", () => {
    const a = alertFromNotification(note)!;
    expect(toastText(a)).toBe("Warning · camera offline: camera0 went offline");
    expect(toastKindOf("critical")).toBe("error");
    expect(toastKindOf("info")).toBe("info");
  });
});
