import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { RpcError } from "../api/rpc";
import { formErrors, hasErrors } from "./formErrors";

const fields = ["name", "source", "serial_number"] as const;

describe("formErrors", () => {
  it("puts a validation error next to the field it names, without repeating the name", () => {
    const e = new ApiError(400, "VALIDATION_FAILED", "source: unsupported scheme 'ftp'", { field: "source" });
    expect(formErrors(e, fields)).toEqual({ fields: { source: "unsupported scheme 'ftp'" } });
  });
  it("maps a duplicate serial number to its field", () => {
    const e = new ApiError(400, "CAMERA_SERIAL_DUPLICATE", "serial_number is already used by another camera", { field: "serial_number" });
    expect(formErrors(e, fields).fields.serial_number).toBe("serial_number is already used by another camera");
  });
  it("keeps errors about fields the form does not show above the form", () => {
    const e = new ApiError(400, "VALIDATION_FAILED", "id: a camera 'x' already exists", { field: "id" });
    expect(formErrors(e, fields)).toEqual({ fields: {}, general: e });
  });
  it("keeps other statuses above the form", () => {
    const e = new ApiError(403, "CAMERA_READ_ONLY", "defined in ocellus.yml", { field: "name" });
    expect(formErrors(e, fields).general).toBe(e);
  });
  it("reads JSON-RPC invalid params", () => {
    const e = new RpcError(-32602, "params.max_age_days: expected days, more than 0 and up to 36500");
    expect(formErrors(e, ["max_age_days"] as const).fields).toEqual({ max_age_days: "expected days, more than 0 and up to 36500" });
    expect(formErrors(new RpcError(-32603, "params.max_age_days: x"), ["max_age_days"] as const).general).toBeInstanceOf(RpcError);
  });
  it("tells whether any field has an error", () => {
    expect(hasErrors({})).toBe(false);
    expect(hasErrors({ name: "is required" })).toBe(true);
  });
});
