import { useState } from "react";
import type { Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { useRowAction } from "../../app/useRowAction";
import { useAsync } from "../../app/useAsync";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyField } from "../../components/CopyField";
import { Dialog } from "../../components/Dialog";
import { ErrorText } from "../../components/ErrorText";
import { StatusBadge } from "../../components/StatusBadge";
import { Table } from "../../components/Table";
import { TokenEditor } from "../../components/TokenEditor";
import { formatTime } from "../../lib/format";

type Token = Schemas["ApiToken"];

/**
 * API tokens: list, create, edit permissions, revoke. A new token's secret lives only in this
 * component's state while its dialog is open: closing the dialog, leaving or reloading the page
 * drops it, and the API never returns it again.
 */
export function TokensPage() {
  const { api, toast } = useApp();
  const tokens = useAsync(() => api.get("/tokens"), [api]);
  const cameras = useAsync(() => api.get("/cameras"), [api]);
  const [editing, setEditing] = useState<{ token?: Token } | null>(null);
  const [created, setCreated] = useState<Schemas["ApiTokenCreated"] | null>(null);

  const saved = (t: Token | Schemas["ApiTokenCreated"]) => {
    setEditing(null);
    if ("token" in t) setCreated(t);
    else toast(`Permissions of ${t.name} saved.`, "success");
    tokens.reload();
  };
  const act = useRowAction(tokens.reload);
  const revoke = (t: Token) => act(() => api.delete("/tokens/{id}", { path: { id: t.id } }), `Token ${t.name} revoked.`, `Could not revoke ${t.name}`);

  const cameraName = (id: string) => cameras.data?.cameras.find((c) => c.id === id)?.name ?? id;
  return (
    <section className="stack">
      <div className="row between">
        <h1>API tokens</h1>
        {!editing && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            Create token
          </button>
        )}
      </div>
      {editing && <TokenEditor key={editing.token?.id ?? "new"} token={editing.token} cameras={cameras.data?.cameras ?? []} onSaved={saved} onCancel={() => setEditing(null)} />}
      {created && (
        <Dialog title={`Token ${created.name} created`} onClose={() => setCreated(null)}>
          <p className="warning-text">
            <strong>Copy the secret now: you will not see it again.</strong> Ocellus keeps only a hash of it.
          </p>
          <CopyField label="Secret" value={created.token} />
          <p className="muted small">Send it as “Authorization: Bearer …” or “X-API-Key: …”.</p>
        </Dialog>
      )}
      <ErrorText error={tokens.error} />
      <Table caption="API tokens" columns={["Token", "Permissions", "Cameras", "Rate limit", "Expires", "Last used", "Actions"]} empty={tokens.data?.tokens.length === 0 && "No API tokens yet."}>
        {tokens.data?.tokens.map((t) => (
          <tr key={t.id}>
            <td>
              {t.name} {t.is_active ? null : <StatusBadge value="offline" label="inactive" />}
              <div className="muted small">
                {t.id}
                {t.remark && ` · ${t.remark}`}
              </div>
            </td>
            <td className="small">{t.permissions.join(", ") || <span className="muted">none</span>}</td>
            <td>{t.camera_scope.length ? t.camera_scope.map(cameraName).join(", ") : <span className="muted">all</span>}</td>
            <td>{t.rate_limit}/h</td>
            <td>{formatTime(t.expires_at)}</td>
            <td>{formatTime(t.last_used_at)}</td>
            <td>
              <div className="row">
                <button type="button" onClick={() => setEditing({ token: t })}>
                  Edit permissions
                </button>
                <ConfirmButton label="Revoke" question={`Revoke ${t.name}?`} confirm="Revoke token" onConfirm={() => revoke(t)} />
              </div>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
