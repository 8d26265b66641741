// The camera form's state ↔ the API's bodies. The form edits text, so absent values are ""; the
// API wants null for "no serial number" and, on update, only the fields that changed (a PUT with
// an unchanged source would still be a change request the server has to apply).
import type { Schemas } from "../api/client";

type Camera = Schemas["Camera"];
export type RecordMode = Camera["record"];

export type CameraForm = {
  id: string;
  name: string;
  company: string;
  model: string;
  serial_number: string;
  location: string;
  place: string;
  source: string;
  on_demand: boolean;
  is_active: boolean;
  record: RecordMode;
};

/** The fields whose errors the form shows beside them (the API's names). */
export const cameraFields = ["id", "name", "company", "model", "serial_number", "location", "place", "source", "record"] as const;
export type CameraField = (typeof cameraFields)[number];

export const emptyCameraForm: CameraForm = {
  id: "",
  name: "",
  company: "",
  model: "",
  serial_number: "",
  location: "",
  place: "",
  source: "",
  on_demand: false,
  is_active: true,
  record: "off",
};

export function cameraToForm(c: Camera): CameraForm {
  return {
    id: c.id,
    name: c.name,
    company: c.company,
    model: c.model,
    serial_number: c.serial_number ?? "",
    location: c.location,
    place: c.place,
    source: c.source,
    on_demand: c.on_demand,
    is_active: c.is_active,
    record: c.record,
  };
}

function cleaned(f: CameraForm): Omit<CameraForm, "serial_number"> & { serial_number: string | null } {
  const t = (s: string) => s.trim();
  return {
    ...f,
    id: t(f.id),
    name: t(f.name),
    company: t(f.company),
    model: t(f.model),
    serial_number: t(f.serial_number) || null,
    location: t(f.location),
    place: t(f.place),
    source: t(f.source),
  };
}

/** POST /cameras: every field; no id lets the server choose one. */
export function createBody(f: CameraForm): Schemas["CameraCreate"] {
  const { id, ...rest } = cleaned(f);
  return id ? { id, ...rest } : rest;
}

/** PUT /cameras/{id}: the fields that differ from `original`; null when nothing did. */
export function updateBody(f: CameraForm, original: CameraForm): Schemas["CameraUpdate"] | null {
  const now = cleaned(f);
  const before = cleaned(original);
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(now) as Array<keyof typeof now>) {
    if (key !== "id" && now[key] !== before[key]) changed[key] = now[key];
  }
  // A cast: the generated type marks fields that have a default (on_demand, is_active) as
  // required, but the API's update takes any non-empty subset.
  return Object.keys(changed).length ? (changed as Schemas["CameraUpdate"]) : null;
}
