import { useState } from "react";
import type { Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { useAsync } from "../../app/useAsync";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorText } from "../../components/ErrorText";
import { UserCreateForm } from "../../components/UserCreateForm";
import { formatTime } from "../../lib/format";
import { roleChoices } from "../../admin/users";

type User = Schemas["User"];
type Role = Schemas["Role"];

/** Users: create with a role, change role or active state in place, delete. */
export function UsersPage() {
  const { api, user: me, toast } = useApp();
  const users = useAsync(() => api.get("/users"), [api]);
  const [actionError, setActionError] = useState<unknown>();

  const change = async (u: User, body: Schemas["UserUpdate"], what: string) => {
    setActionError(undefined);
    try {
      await api.put("/users/{id}", { path: { id: u.id }, body });
      toast(`${u.username}: ${what}.`, "success");
    } catch (e) {
      setActionError(e);
    }
    users.reload();
  };
  const remove = async (u: User) => {
    setActionError(undefined);
    try {
      await api.delete("/users/{id}", { path: { id: u.id } });
      toast(`User ${u.username} deleted.`, "success");
    } catch (e) {
      setActionError(e);
    }
    users.reload();
  };

  return (
    <section className="stack">
      <h1>Users</h1>
      <UserCreateForm onCreated={users.reload} />
      <h2>All users</h2>
      <ErrorText error={actionError ?? users.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Active</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.username}
                  {u.id === me.id && <span className="muted small"> (you)</span>}
                </td>
                <td>
                  <select aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => void change(u, { role: e.target.value as Role }, `role ${e.target.value}`)}>
                    {roleChoices.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.value}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <label className="check">
                    <input type="checkbox" checked={u.is_active} onChange={(e) => void change(u, { is_active: e.target.checked }, e.target.checked ? "active" : "deactivated")} />
                    <span className="visually-hidden">{u.username} is active</span>
                  </label>
                </td>
                <td>{formatTime(u.last_login_at)}</td>
                <td>
                  <ConfirmButton label="Delete" question={`Delete ${u.username}?`} confirm="Delete user" onConfirm={() => remove(u)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
