import { useEffect, useRef, useState, type FormEvent } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { cameraFields, cameraToForm, createBody, emptyCameraForm, updateBody, type CameraField, type CameraForm } from "../admin/cameraForm";
import { useSubmit } from "../app/useSubmit";
import { ErrorText } from "./ErrorText";
import { Field } from "./Field";
import { FormButtons } from "./FormButtons";

type Camera = Schemas["Camera"];
const textFields: Array<{ key: Exclude<CameraField, "id" | "record">; label: string; hint?: string; required?: boolean }> = [
  { key: "name", label: "Name", required: true },
  { key: "source", label: "Source", required: true, hint: "rtsp://… or rtsps://… (pulled), udp://HOST:PORT (MPEG-TS), or publisher (the camera pushes to cameras/{id})" },
  { key: "company", label: "Company" },
  { key: "model", label: "Model" },
  { key: "serial_number", label: "Serial number", hint: "Unique among cameras; empty for none" },
  { key: "location", label: "Location" },
  { key: "place", label: "Place" },
];

/** Adds a camera (no `camera`) or edits one; the API's validation errors go beside their field. */
export function CameraEditor({ camera, onSaved, onCancel }: { camera?: Camera; onSaved: (c: Camera) => void; onCancel: () => void }) {
  const { api } = useApp();
  const original = camera ? cameraToForm(camera) : emptyCameraForm;
  const [form, setForm] = useState<CameraForm>(original);
  const { errors, busy, run } = useSubmit(cameraFields);
  const formRef = useRef<HTMLFormElement>(null);
  const set = <K extends keyof CameraForm>(key: K, value: CameraForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  // After a refused save, the keyboard lands on the first field the server complained about.
  useEffect(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus(), [errors]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!camera) return void run(async () => onSaved(await api.post("/cameras", { body: createBody(form) })));
    const body = updateBody(form, original);
    if (!body) return onCancel();
    void run(async () => onSaved(await api.put("/cameras/{id}", { path: { id: camera.id }, body })));
  };

  const title = camera ? `Edit ${camera.name}` : "Add a camera";
  return (
    <form ref={formRef} className="card stack" aria-label={title} onSubmit={submit} noValidate>
      <h2>{title}</h2>
      <ErrorText error={errors.general} />
      <div className="form-grid">
        {camera ? (
          <p>
            Id <code>{camera.id}</code> <span className="muted">(cannot change)</span>
          </p>
        ) : (
          <Field label="Id (optional)" error={errors.fields.id} hint="Letters, digits, _ . -; the server picks cam-… when empty">
            {(c) => <input {...c} name="id" value={form.id} onChange={(e) => set("id", e.target.value)} autoComplete="off" />}
          </Field>
        )}
        {textFields.map((f) => (
          <Field key={f.key} label={f.label} error={errors.fields[f.key]} hint={f.hint}>
            {(c) => <input {...c} name={f.key} required={f.required} value={form[f.key]} onChange={(e) => set(f.key, e.target.value)} autoComplete="off" />}
          </Field>
        ))}
        <Field label="Recording" error={errors.fields.record}>
          {(c) => (
            <select {...c} name="record" value={form.record} onChange={(e) => set("record", e.target.value as CameraForm["record"])}>
              <option value="off">Only when started</option>
              <option value="continuous">Continuous</option>
            </select>
          )}
        </Field>
      </div>
      <div className="row">
        <label className="check">
          <input type="checkbox" name="on_demand" checked={form.on_demand} onChange={(e) => set("on_demand", e.target.checked)} />
          On demand (pull the source only while someone watches)
        </label>
        <label className="check">
          <input type="checkbox" name="is_active" checked={form.is_active} onChange={(e) => set("is_active", e.target.checked)} />
          Active
        </label>
      </div>
      <FormButtons submit={camera ? "Save" : "Add camera"} busy={busy} onCancel={onCancel} />
    </form>
  );
}
