import { useState, type FormEvent } from "react";
import type { Role } from "../roles";
import { useApp } from "../app/context";
import { roleChoices, userFields, type UserField } from "../admin/users";
import { formErrors, type FormErrors } from "../lib/formErrors";
import { ErrorText } from "./ErrorText";
import { Field } from "./Field";

/** Creates a user with a password and a role; the API's refusals go beside the field. */
export function UserCreateForm({ onCreated }: { onCreated: () => void }) {
  const { api, toast } = useApp();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [errors, setErrors] = useState<FormErrors<UserField>>({ fields: {} });
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const u = await api.post("/users", { body: { username: username.trim(), password, role, is_active: true } });
      toast(`User ${u.username} created (${u.role}).`, "success");
      setUsername("");
      setPassword("");
      setErrors({ fields: {} });
      onCreated();
    } catch (error) {
      setErrors(formErrors(error, userFields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card stack" aria-label="Add a user" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Add a user</h2>
      <ErrorText error={errors.general} />
      <div className="form-grid">
        <Field label="Username" error={errors.fields.username}>
          {(c) => <input {...c} name="new-username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" required />}
        </Field>
        <Field label="Password" error={errors.fields.password}>
          {(c) => <input {...c} name="new-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />}
        </Field>
        <Field label="Role" error={errors.fields.role}>
          {(c) => (
            <select {...c} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roleChoices.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </div>
    </form>
  );
}
