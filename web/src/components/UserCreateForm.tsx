import { useState, type FormEvent } from "react";
import type { Role } from "../roles";
import { useApp } from "../app/context";
import { roleChoices, userFields } from "../admin/users";
import { useSubmit } from "../app/useSubmit";
import { ErrorText } from "./ErrorText";
import { Field } from "./Field";
import { FormButtons } from "./FormButtons";

/** Creates a user with a password and a role; the API's refusals go beside the field. */
export function UserCreateForm({ onCreated }: { onCreated: () => void }) {
  const { api, toast } = useApp();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const { errors, busy, run } = useSubmit(userFields);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const u = await api.post("/users", { body: { username: username.trim(), password, role, is_active: true } });
      toast(`User ${u.username} created (${u.role}).`, "success");
      setUsername("");
      setPassword("");
      onCreated();
    });
  };

  return (
    <form className="card stack" aria-label="Add a user" onSubmit={submit} noValidate>
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
      <FormButtons submit="Create user" busy={busy} />
    </form>
  );
}
