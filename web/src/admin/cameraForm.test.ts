import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { cameraToForm, createBody, emptyCameraForm, updateBody } from "./cameraForm";

const camera = {
  id: "gate",
  name: "Gate",
  company: "Axis",
  model: "P1375",
  serial_number: null,
  location: "North",
  place: "Pole 3",
  source: "rtsp://192.0.2.10/stream1",
  on_demand: false,
  is_active: true,
  record: "off",
} as Schemas["Camera"];

describe("createBody", () => {
  it("trims text, sends null for no serial number and leaves the id to the server", () => {
    const body = createBody({ ...emptyCameraForm, name: " Yard ", source: " publisher ", serial_number: "  " });
    expect(body).toEqual({ ...emptyCameraForm, id: undefined, name: "Yard", source: "publisher", serial_number: null });
    expect("id" in body).toBe(false);
  });
  it("sends a chosen id", () => expect(createBody({ ...emptyCameraForm, id: "yard", name: "Y", source: "publisher" }).id).toBe("yard"));
});

describe("updateBody", () => {
  const original = cameraToForm(camera);
  it("round-trips a camera with an empty serial number", () => expect(original.serial_number).toBe(""));
  it("sends only what changed, never the id", () => {
    expect(updateBody({ ...original, location: "South", id: "other" }, original)).toEqual({ location: "South" });
    expect(updateBody({ ...original, serial_number: "SN-1", on_demand: true }, original)).toEqual({ serial_number: "SN-1", on_demand: true });
  });
  it("clears a serial number with null", () => {
    const withSerial = { ...original, serial_number: "SN-1" };
    expect(updateBody({ ...withSerial, serial_number: "" }, withSerial)).toEqual({ serial_number: null });
  });
  it("is null when nothing changed (whitespace is no change)", () => {
    expect(updateBody({ ...original, name: "Gate " }, original)).toBeNull();
  });
});
