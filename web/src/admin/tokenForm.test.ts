import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { emptyTokenForm, permissions, permissionsBody, tokenCreateBody, tokenToForm, toggled } from "./tokenForm";

const now = new Date(2026, 0, 15, 12, 0, 0);

describe("tokenCreateBody", () => {
  it("maps a valid form, permissions in list order, no expiry as null", () => {
    const r = tokenCreateBody({ ...emptyTokenForm, name: " ci ", permissions: ["recordings:read", "cameras:read"], cameraScope: ["b", "a"] }, now);
    expect(r.body).toEqual({
      name: "ci",
      remark: "",
      permissions: ["cameras:read", "recordings:read"],
      camera_scope: ["a", "b"],
      rate_limit: 1000,
      expires_at: null,
    });
  });
  it("expires at the end of the chosen local day", () => {
    const r = tokenCreateBody({ ...emptyTokenForm, name: "x", permissions: ["media:read"], expires: "2026-01-15" }, now);
    expect(r.body?.expires_at).toBe(new Date(2026, 0, 15, 23, 59, 59, 999).toISOString());
  });
  it("names each field that is wrong", () => {
    const r = tokenCreateBody({ ...emptyTokenForm, rateLimit: "1.5", expires: "2026-01-14" }, now);
    expect(Object.keys(r.errors ?? {}).sort()).toEqual(["expires_at", "name", "permissions", "rate_limit"]);
    expect(tokenCreateBody({ ...emptyTokenForm, name: "x", permissions: ["media:read"], rateLimit: "0" }, now).errors?.rate_limit).toBeTruthy();
    expect(tokenCreateBody({ ...emptyTokenForm, name: "x", permissions: ["media:read"], expires: "2026-02-30" }, now).errors?.expires_at).toBe("Not a date.");
  });
});

describe("permissionsBody and tokenToForm", () => {
  const token = { id: "tok_1", name: "ci", remark: "r", permissions: ["alerts:read"], camera_scope: ["demo"], rate_limit: 10 } as Schemas["ApiToken"];
  it("edits a token's permissions and scope", () => {
    const f = tokenToForm(token);
    expect(permissionsBody({ ...f, permissions: toggled(f.permissions, "alerts:ack", true) }).body).toEqual({
      permissions: ["alerts:read", "alerts:ack"],
      camera_scope: ["demo"],
    });
  });
  it("refuses an empty permission list", () => expect(permissionsBody({ permissions: [], cameraScope: [] }).errors?.permissions).toBeTruthy());
});

describe("toggled", () => {
  it("adds once and removes", () => {
    expect(toggled(["a"], "a", true)).toEqual(["a"]);
    expect(toggled(["a", "b"], "a", false)).toEqual(["b"]);
  });
  it("lists every permission once", () => expect(new Set(permissions).size).toBe(16));
});
