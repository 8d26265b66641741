import { useId, useState, type FormEvent } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { emptyTokenForm, permissions, permissionsBody, tokenCreateBody, tokenFields, tokenToForm, toggled, type TokenForm } from "../admin/tokenForm";
import { useSubmit } from "../app/useSubmit";
import { ErrorText } from "./ErrorText";
import { Field } from "./Field";
import { FormButtons } from "./FormButtons";

type Token = Schemas["ApiToken"];

/**
 * Creates an API token (no `token`: every field) or edits an existing one's permissions and
 * camera scope (what PUT /tokens/{id}/permissions can change). `onSaved` gets the API's answer,
 * which carries the secret after a creation.
 */
export function TokenEditor({ token, cameras, onSaved, onCancel }: { token?: Token; cameras: Schemas["Camera"][]; onSaved: (t: Token | Schemas["ApiTokenCreated"]) => void; onCancel: () => void }) {
  const { api } = useApp();
  const [form, setForm] = useState<TokenForm>(token ? tokenToForm(token) : emptyTokenForm);
  const { errors, setErrors, busy, run } = useSubmit(tokenFields);
  const permissionsError = useId();
  const set = <K extends keyof TokenForm>(key: K, value: TokenForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let request: () => Promise<Token | Schemas["ApiTokenCreated"]>;
    if (token) {
      const checked = permissionsBody(form);
      if (checked.errors) return setErrors({ fields: checked.errors });
      request = () => api.put("/tokens/{id}/permissions", { path: { id: token.id }, body: checked.body });
    } else {
      const checked = tokenCreateBody(form);
      if (checked.errors) return setErrors({ fields: checked.errors });
      request = () => api.post("/tokens", { body: checked.body });
    }
    void run(async () => onSaved(await request()));
  };

  const title = token ? `Permissions of ${token.name}` : "Create an API token";
  return (
    <form className="card stack" aria-label={title} onSubmit={submit} noValidate>
      <h2>{title}</h2>
      <ErrorText error={errors.general} />
      {!token && (
        <div className="form-grid">
          <Field label="Name" error={errors.fields.name}>
            {(c) => <input {...c} name="token-name" value={form.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" required />}
          </Field>
          <Field label="Remark" error={errors.fields.remark} hint="What or who uses it">
            {(c) => <input {...c} name="remark" value={form.remark} onChange={(e) => set("remark", e.target.value)} autoComplete="off" />}
          </Field>
          <Field label="Rate limit (requests per hour)" error={errors.fields.rate_limit}>
            {(c) => <input {...c} name="rate_limit" inputMode="numeric" value={form.rateLimit} onChange={(e) => set("rateLimit", e.target.value)} />}
          </Field>
          <Field label="Expires after" error={errors.fields.expires_at} hint="Empty: never expires">
            {(c) => <input {...c} name="expires" type="date" value={form.expires} onChange={(e) => set("expires", e.target.value)} />}
          </Field>
        </div>
      )}
      <fieldset className="checks" aria-describedby={errors.fields.permissions ? permissionsError : undefined}>
        <legend>Permissions</legend>
        {permissions.map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={form.permissions.includes(p)} onChange={(e) => set("permissions", toggled(form.permissions, p, e.target.checked))} />
            {p}
          </label>
        ))}
        {errors.fields.permissions && (
          <small id={permissionsError} className="error">
            {errors.fields.permissions}
          </small>
        )}
      </fieldset>
      <fieldset className="checks">
        <legend>Cameras (none checked: every camera)</legend>
        {cameras.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={form.cameraScope.includes(c.id)} onChange={(e) => set("cameraScope", toggled(form.cameraScope, c.id, e.target.checked))} />
            {c.name} <span className="muted small">{c.id}</span>
          </label>
        ))}
        {errors.fields.camera_scope && <small className="error">{errors.fields.camera_scope}</small>}
      </fieldset>
      <FormButtons submit={token ? "Save permissions" : "Create token"} busy={busy} onCancel={onCancel} />
    </form>
  );
}
