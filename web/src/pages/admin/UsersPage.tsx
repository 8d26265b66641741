import type { Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { useRowAction } from "../../app/useRowAction";
import { useAsync } from "../../app/useAsync";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorText } from "../../components/ErrorText";
import { Table } from "../../components/Table";
import { UserCreateForm } from "../../components/UserCreateForm";
import { formatTime } from "../../lib/format";
import { roleChoices } from "../../admin/users";

type User = Schemas["User"];
type Role = Schemas["Role"];

/** Users: create with a role, change role or active state in place, delete. */
export function UsersPage() {
  const { api, user: me } = useApp();
  const users = useAsync(() => api.get("/users"), [api]);
  const act = useRowAction(users.reload);
  const change = (u: User, body: Schemas["UserUpdate"], what: string) =>
    act(() => api.put("/users/{id}", { path: { id: u.id }, body }), `${u.username}: ${what}.`, `Could not change ${u.username}`);
  const remove = (u: User) => act(() => api.delete("/users/{id}", { path: { id: u.id } }), `User ${u.username} deleted.`, `Could not delete ${u.username}`);

  return (
    <section className="stack">
      <h1>Users</h1>
      <UserCreateForm onCreated={users.reload} />
      <h2>All users</h2>
      <ErrorText error={users.error} />
      <Table caption="Users" columns={["User", "Role", "Active", "Last sign-in", "Actions"]}>
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
      </Table>
    </section>
  );
}
