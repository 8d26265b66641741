import { useState, type FormEvent } from "react";
import { useApp } from "../app/context";
import { policyToForm, retentionFields, retentionParams, type RetentionForm as Form, type RetentionPolicy } from "../admin/retention";
import { useSubmit } from "../app/useSubmit";
import { ErrorText } from "./ErrorText";
import { Field } from "./Field";

/** The retention policy in force (`policy`, from the storage usage), changed by set_retention_policy. */
export function RetentionForm({ policy }: { policy: RetentionPolicy }) {
  const { rpc, toast } = useApp();
  const [form, setForm] = useState<Form>(() => policyToForm(policy));
  const [stored, setStored] = useState<RetentionPolicy>(policy);
  const { errors, setErrors, busy, run } = useSubmit(retentionFields);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = retentionParams(form);
    if (checked.errors) return setErrors({ fields: checked.errors });
    void run(async () => {
      const policy = await rpc.call<RetentionPolicy>("set_retention_policy", checked.params);
      setStored(policy);
      setForm(policyToForm(policy));
      toast("Retention policy saved.", "success");
    });
  };

  return (
    <form className="card stack" aria-labelledby="retention-title" onSubmit={submit} noValidate>
      <h2 id="retention-title">Retention policy</h2>
      <p className="muted">Until saved here, the limits of ocellus.yml (recording.retention) apply. Recordings marked “keep” are never deleted.</p>
      <ErrorText error={errors.general} />
      <label className="check">
        <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => setForm((f) => ({ ...f, enabled: e.target.checked }))} />
        Delete old recordings automatically
      </label>
      <div className="form-grid">
        <Field label="Maximum age (days)" error={errors.fields.max_age_days} hint="Empty: no age limit">
          {(c) => <input {...c} name="max_age_days" inputMode="decimal" value={form.maxAgeDays} onChange={(e) => setForm((f) => ({ ...f, maxAgeDays: e.target.value }))} />}
        </Field>
        <Field label="Maximum size (GiB)" error={errors.fields.max_size_gb} hint="Empty: no size limit">
          {(c) => <input {...c} name="max_size_gb" inputMode="decimal" value={form.maxSizeGb} onChange={(e) => setForm((f) => ({ ...f, maxSizeGb: e.target.value }))} />}
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save policy
        </button>
        <span className="muted" role="status">
          In force: {stored.enabled && stored.policy_type !== "manual" ? "automatic" : "manual"}
          {stored.max_age_days !== null && `, ${stored.max_age_days} days`}
          {stored.max_size_gb !== null && `, ${stored.max_size_gb} GiB`}
        </span>
      </div>
    </form>
  );
}
